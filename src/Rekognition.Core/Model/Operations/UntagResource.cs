// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// UntagResource: request and response members as named in the service's API model.

public sealed class UntagResourceRequest : AmazonRekognitionRequest
{
    public string ResourceArn { get; set; }
    public List<string> TagKeys { get; set; } = new();
}

public sealed class UntagResourceResponse : AmazonRekognitionResponse
{
}
