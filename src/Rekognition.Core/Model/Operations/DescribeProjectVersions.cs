// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DescribeProjectVersions: request and response members as named in the service's API model.

/// <summary>The parameters of DescribeProjectVersions (paginated).</summary>
public sealed class DescribeProjectVersionsRequest : AmazonRekognitionRequest, IPaginatedRequest
{
    /// <summary>The ARN of the project whose versions to describe.</summary>
    public string ProjectArn { get; set; }
    /// <summary>The names of the versions to describe (up to 10); empty for all of them.</summary>
    public List<string> VersionNames { get; set; } = new();
    /// <summary>The token from the previous page's response; none for the first page.</summary>
    public string NextToken { get; set; }
    /// <summary>The most versions per page (at most 100, the default).</summary>
    public int? MaxResults { get; set; }
}

/// <summary>The result of DescribeProjectVersions: one page of version descriptions.</summary>
public sealed class DescribeProjectVersionsResponse : AmazonRekognitionResponse, IPaginatedResponse
{
    /// <summary>The model versions on this page.</summary>
    public List<ProjectVersionDescription> ProjectVersionDescriptions { get; set; } = new();
    /// <summary>The token for the next page; none on the last page.</summary>
    public string NextToken { get; set; }
}
