// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// ListDatasetEntries: request and response members as named in the service's API model.

/// <summary>The parameters of ListDatasetEntries (paginated): the dataset's JSON Lines, filtered.</summary>
public sealed class ListDatasetEntriesRequest : AmazonRekognitionRequest, IPaginatedRequest
{
    /// <summary>The ARN of the dataset to list.</summary>
    public string DatasetArn { get; set; }
    /// <summary>Only entries that have at least one of these labels.</summary>
    public List<string> ContainsLabels { get; set; } = new();
    /// <summary>True for only labeled entries, false for only unlabeled ones; both when not given.</summary>
    public bool? Labeled { get; set; }
    /// <summary>Only entries whose image location (source-ref) contains this text.</summary>
    public string SourceRefContains { get; set; }
    /// <summary>True for only the entries that have errors.</summary>
    public bool? HasErrors { get; set; }
    /// <summary>The token from the previous page's response; none for the first page.</summary>
    public string NextToken { get; set; }
    /// <summary>The most entries per page (at most 100, the default).</summary>
    public int? MaxResults { get; set; }
}

/// <summary>The result of ListDatasetEntries: one page of entries.</summary>
public sealed class ListDatasetEntriesResponse : AmazonRekognitionResponse, IPaginatedResponse
{
    /// <summary>The entries on this page, each a JSON Line of the manifest.</summary>
    public List<string> DatasetEntries { get; set; } = new();
    /// <summary>The token for the next page; none on the last page.</summary>
    public string NextToken { get; set; }
}
