// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DescribeDataset: request and response members as named in the service's API model.

public sealed class DescribeDatasetRequest : AmazonRekognitionRequest
{
    public string DatasetArn { get; set; }
}

public sealed class DescribeDatasetResponse : AmazonRekognitionResponse
{
    public DatasetDescription DatasetDescription { get; set; }
}
