// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DistributeDatasetEntries: request and response members as named in the service's API model.

/// <summary>The parameters of DistributeDatasetEntries: moves entries from the training dataset into an empty test dataset.</summary>
public sealed class DistributeDatasetEntriesRequest : AmazonRekognitionRequest
{
    /// <summary>The project's training and test datasets (exactly one of each).</summary>
    public List<DistributeDataset> Datasets { get; set; } = new();
}

/// <summary>The result of DistributeDatasetEntries (no members).</summary>
public sealed class DistributeDatasetEntriesResponse : AmazonRekognitionResponse
{
}
