// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// ListDatasetLabels: request and response members as named in the service's API model.

public sealed class ListDatasetLabelsRequest : AmazonRekognitionRequest, IPaginatedRequest
{
    public string DatasetArn { get; set; }
    public string NextToken { get; set; }
    public int? MaxResults { get; set; }
}

public sealed class ListDatasetLabelsResponse : AmazonRekognitionResponse, IPaginatedResponse
{
    public List<DatasetLabelDescription> DatasetLabelDescriptions { get; set; } = new();
    public string NextToken { get; set; }
}
