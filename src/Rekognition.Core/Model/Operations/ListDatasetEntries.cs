// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// ListDatasetEntries: request and response members as named in the service's API model.

public sealed class ListDatasetEntriesRequest : AmazonRekognitionRequest, IPaginatedRequest
{
    public string DatasetArn { get; set; }
    public List<string> ContainsLabels { get; set; } = new();
    public bool? Labeled { get; set; }
    public string SourceRefContains { get; set; }
    public bool? HasErrors { get; set; }
    public string NextToken { get; set; }
    public int? MaxResults { get; set; }
}

public sealed class ListDatasetEntriesResponse : AmazonRekognitionResponse, IPaginatedResponse
{
    public List<string> DatasetEntries { get; set; } = new();
    public string NextToken { get; set; }
}
