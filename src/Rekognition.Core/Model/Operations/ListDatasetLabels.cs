// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// ListDatasetLabels: request and response members as named in the service's API model.

/// <summary>The parameters of ListDatasetLabels (paginated).</summary>
public sealed class ListDatasetLabelsRequest : AmazonRekognitionRequest, IPaginatedRequest
{
    /// <summary>The ARN of the dataset whose labels to list.</summary>
    public string DatasetArn { get; set; }
    /// <summary>The token from the previous page's response; none for the first page.</summary>
    public string NextToken { get; set; }
    /// <summary>The most labels per page (at most 100, the default).</summary>
    public int? MaxResults { get; set; }
}

/// <summary>The result of ListDatasetLabels: one page of labels.</summary>
public sealed class ListDatasetLabelsResponse : AmazonRekognitionResponse, IPaginatedResponse
{
    /// <summary>The labels on this page with their counts.</summary>
    public List<DatasetLabelDescription> DatasetLabelDescriptions { get; set; } = new();
    /// <summary>The token for the next page; none on the last page.</summary>
    public string NextToken { get; set; }
}
