// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>An input for training or testing: a manifest of labeled images.</summary>
public sealed class Asset
{
    /// <summary>The SageMaker Ground Truth format manifest of the asset.</summary>
    public GroundTruthManifest GroundTruthManifest { get; set; }
}
