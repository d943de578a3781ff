// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DetectCustomLabels: request and response members as named in the service's API model.

/// <summary>The parameters of DetectCustomLabels: finds a running model's labels in one image.</summary>
public sealed class DetectCustomLabelsRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the running model version to use.</summary>
    public string ProjectVersionArn { get; set; }
    /// <summary>The image to analyse, as bytes or an S3 object.</summary>
    public Image Image { get; set; }
    /// <summary>The most labels to return, highest confidence first.</summary>
    public int? MaxResults { get; set; }
    /// <summary>The lowest confidence (0-100) a returned label may have; each label's assumed threshold when not given.</summary>
    public float? MinConfidence { get; set; }
}

/// <summary>The result of DetectCustomLabels.</summary>
public sealed class DetectCustomLabelsResponse : AmazonRekognitionResponse
{
    /// <summary>The labels found, with their confidence and, for object labels, their location.</summary>
    public List<CustomLabel> CustomLabels { get; set; } = new();
}
