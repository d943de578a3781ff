// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// StopProjectVersion: request and response members as named in the service's API model.

public sealed class StopProjectVersionRequest : AmazonRekognitionRequest
{
    public string ProjectVersionArn { get; set; }
}

public sealed class StopProjectVersionResponse : AmazonRekognitionResponse
{
    public ProjectVersionStatus Status { get; set; }
}
