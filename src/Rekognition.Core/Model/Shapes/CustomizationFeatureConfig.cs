// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>Settings for training that depend on the project's feature.</summary>
public sealed class CustomizationFeatureConfig
{
    /// <summary>Settings for a content moderation adapter.</summary>
    public CustomizationFeatureContentModerationConfig ContentModeration { get; set; }
}
