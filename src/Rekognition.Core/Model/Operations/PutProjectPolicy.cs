// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// PutProjectPolicy: request and response members as named in the service's API model.

public sealed class PutProjectPolicyRequest : AmazonRekognitionRequest
{
    public string ProjectArn { get; set; }
    public string PolicyName { get; set; }
    public string PolicyRevisionId { get; set; }
    public string PolicyDocument { get; set; }
}

public sealed class PutProjectPolicyResponse : AmazonRekognitionResponse
{
    public string PolicyRevisionId { get; set; }
}
