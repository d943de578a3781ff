namespace Rekognition.Core.Model;

public sealed class CustomizationFeatureContentModerationConfig
{
    public float? ConfidenceThreshold { get; set; }
}
