// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DistributeDatasetEntries: request and response members as named in the service's API model.

public sealed class DistributeDatasetEntriesRequest : AmazonRekognitionRequest
{
    public List<DistributeDataset> Datasets { get; set; } = new();
}

public sealed class DistributeDatasetEntriesResponse : AmazonRekognitionResponse
{
}
