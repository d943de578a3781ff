// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// TagResource: request and response members as named in the service's API model.

public sealed class TagResourceRequest : AmazonRekognitionRequest
{
    public string ResourceArn { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new();
}

public sealed class TagResourceResponse : AmazonRekognitionResponse
{
}
