// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DescribeProjectVersions: request and response members as named in the service's API model.

public sealed class DescribeProjectVersionsRequest : AmazonRekognitionRequest, IPaginatedRequest
{
    public string ProjectArn { get; set; }
    public List<string> VersionNames { get; set; } = new();
    public string NextToken { get; set; }
    public int? MaxResults { get; set; }
}

public sealed class DescribeProjectVersionsResponse : AmazonRekognitionResponse, IPaginatedResponse
{
    public List<ProjectVersionDescription> ProjectVersionDescriptions { get; set; } = new();
    public string NextToken { get; set; }
}
