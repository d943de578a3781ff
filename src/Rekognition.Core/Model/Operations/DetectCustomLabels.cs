// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DetectCustomLabels: request and response members as named in the service's API model.

public sealed class DetectCustomLabelsRequest : AmazonRekognitionRequest
{
    public string ProjectVersionArn { get; set; }
    public Image Image { get; set; }
    public int? MaxResults { get; set; }
    public float? MinConfidence { get; set; }
}

public sealed class DetectCustomLabelsResponse : AmazonRekognitionResponse
{
    public List<CustomLabel> CustomLabels { get; set; } = new();
}
