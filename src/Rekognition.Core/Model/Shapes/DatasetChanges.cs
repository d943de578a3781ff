// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>The entries to add to or change in a dataset.</summary>
public sealed class DatasetChanges
{
    /// <summary>The changes as JSON Lines in SageMaker Ground Truth manifest format (UTF-8 bytes).</summary>
    public MemoryStream GroundTruth { get; set; }
}
