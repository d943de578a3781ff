namespace Rekognition.Core.Model;

public sealed class CustomizationFeatureConfig
{
    public CustomizationFeatureContentModerationConfig? ContentModeration { get; set; }
}
