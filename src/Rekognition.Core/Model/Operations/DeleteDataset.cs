// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DeleteDataset: request and response members as named in the service's API model.

public sealed class DeleteDatasetRequest : AmazonRekognitionRequest
{
    public string DatasetArn { get; set; }
}

public sealed class DeleteDatasetResponse : AmazonRekognitionResponse
{
}
