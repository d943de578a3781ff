// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>A manifest file in SageMaker Ground Truth format.</summary>
public sealed class GroundTruthManifest
{
    /// <summary>The bucket and key of the manifest file.</summary>
    public S3Object S3Object { get; set; }
}
