// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// ListProjectPolicies: request and response members as named in the service's API model.

public sealed class ListProjectPoliciesRequest : AmazonRekognitionRequest, IPaginatedRequest
{
    public string ProjectArn { get; set; }
    public string NextToken { get; set; }
    public int? MaxResults { get; set; }
}

public sealed class ListProjectPoliciesResponse : AmazonRekognitionResponse, IPaginatedResponse
{
    public List<ProjectPolicy> ProjectPolicies { get; set; } = new();
    public string NextToken { get; set; }
}
