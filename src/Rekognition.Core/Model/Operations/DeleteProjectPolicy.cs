// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DeleteProjectPolicy: request and response members as named in the service's API model.

public sealed class DeleteProjectPolicyRequest : AmazonRekognitionRequest
{
    public string ProjectArn { get; set; }
    public string PolicyName { get; set; }
    public string PolicyRevisionId { get; set; }
}

public sealed class DeleteProjectPolicyResponse : AmazonRekognitionResponse
{
}
