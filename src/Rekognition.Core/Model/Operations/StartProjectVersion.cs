// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// StartProjectVersion: request and response members as named in the service's API model.

public sealed class StartProjectVersionRequest : AmazonRekognitionRequest
{
    public string ProjectVersionArn { get; set; }
    public int? MinInferenceUnits { get; set; }
    public int? MaxInferenceUnits { get; set; }
}

public sealed class StartProjectVersionResponse : AmazonRekognitionResponse
{
    public ProjectVersionStatus Status { get; set; }
}
