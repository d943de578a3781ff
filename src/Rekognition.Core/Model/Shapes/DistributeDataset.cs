// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>A dataset taking part in DistributeDatasetEntries.</summary>
public sealed class DistributeDataset
{
    /// <summary>The ARN of the training or test dataset.</summary>
    public string Arn { get; set; }
}
