// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DescribeProjects: request and response members as named in the service's API model.

/// <summary>The parameters of DescribeProjects (paginated).</summary>
public sealed class DescribeProjectsRequest : AmazonRekognitionRequest, IPaginatedRequest
{
    /// <summary>The token from the previous page's response; none for the first page.</summary>
    public string NextToken { get; set; }
    /// <summary>The most projects per page (at most 100, the default).</summary>
    public int? MaxResults { get; set; }
    /// <summary>The names of the projects to describe; empty for all of them.</summary>
    public List<string> ProjectNames { get; set; } = new();
    /// <summary>Only projects that customize these features; CUSTOM_LABELS when empty.</summary>
    public List<CustomizationFeature> Features { get; set; } = new();
}

/// <summary>The result of DescribeProjects: one page of project descriptions.</summary>
public sealed class DescribeProjectsResponse : AmazonRekognitionResponse, IPaginatedResponse
{
    /// <summary>The projects on this page.</summary>
    public List<ProjectDescription> ProjectDescriptions { get; set; } = new();
    /// <summary>The token for the next page; none on the last page.</summary>
    public string NextToken { get; set; }
}
