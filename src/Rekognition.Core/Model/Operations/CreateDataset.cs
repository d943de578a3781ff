// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// CreateDataset: request and response members as named in the service's API model.

public sealed class CreateDatasetRequest : AmazonRekognitionRequest
{
    public DatasetSource DatasetSource { get; set; }
    public DatasetType DatasetType { get; set; }
    public string ProjectArn { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new();
}

public sealed class CreateDatasetResponse : AmazonRekognitionResponse
{
    public string DatasetArn { get; set; }
}
