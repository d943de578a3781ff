// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DescribeProjects: request and response members as named in the service's API model.

public sealed class DescribeProjectsRequest : AmazonRekognitionRequest, IPaginatedRequest
{
    public string NextToken { get; set; }
    public int? MaxResults { get; set; }
    public List<string> ProjectNames { get; set; } = new();
    public List<CustomizationFeature> Features { get; set; } = new();
}

public sealed class DescribeProjectsResponse : AmazonRekognitionResponse, IPaginatedResponse
{
    public List<ProjectDescription> ProjectDescriptions { get; set; } = new();
    public string NextToken { get; set; }
}
