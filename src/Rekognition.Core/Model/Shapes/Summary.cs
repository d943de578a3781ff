// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>The location of a training summary file.</summary>
public sealed class Summary
{
    /// <summary>The bucket and key of the summary file.</summary>
    public S3Object S3Object { get; set; }
}
