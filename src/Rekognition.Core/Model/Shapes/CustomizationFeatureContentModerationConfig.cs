// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>Settings for training a content moderation adapter.</summary>
public sealed class CustomizationFeatureContentModerationConfig
{
    /// <summary>The confidence level planned for finding unsafe content at inference.</summary>
    public float? ConfidenceThreshold { get; set; }
}
