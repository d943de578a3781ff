// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// ListProjectPolicies: request and response members as named in the service's API model.

/// <summary>The parameters of ListProjectPolicies (paginated).</summary>
public sealed class ListProjectPoliciesRequest : AmazonRekognitionRequest, IPaginatedRequest
{
    /// <summary>The ARN of the project whose policies to list.</summary>
    public string ProjectArn { get; set; }
    /// <summary>The token from the previous page's response; none for the first page.</summary>
    public string NextToken { get; set; }
    /// <summary>The most policies per page (at most 5, the default).</summary>
    public int? MaxResults { get; set; }
}

/// <summary>The result of ListProjectPolicies: one page of policies.</summary>
public sealed class ListProjectPoliciesResponse : AmazonRekognitionResponse, IPaginatedResponse
{
    /// <summary>The policies on this page.</summary>
    public List<ProjectPolicy> ProjectPolicies { get; set; } = new();
    /// <summary>The token for the next page; none on the last page.</summary>
    public string NextToken { get; set; }
}
