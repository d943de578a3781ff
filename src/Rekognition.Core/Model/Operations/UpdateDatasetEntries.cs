// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// UpdateDatasetEntries: request and response members as named in the service's API model.

public sealed class UpdateDatasetEntriesRequest : AmazonRekognitionRequest
{
    public string DatasetArn { get; set; }
    public DatasetChanges Changes { get; set; }
}

public sealed class UpdateDatasetEntriesResponse : AmazonRekognitionResponse
{
}
