using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The service's <c>CustomizationFeature</c> enumeration.</summary>
public sealed class CustomizationFeature : ConstantClass
{
    public static readonly CustomizationFeature CONTENT_MODERATION = new("CONTENT_MODERATION");
    public static readonly CustomizationFeature CUSTOM_LABELS = new("CUSTOM_LABELS");

    public CustomizationFeature(string value) : base(value) { }

    /// <summary>The known instance for <paramref name="value"/>, or a new one for a value this library does not know.</summary>
    public static CustomizationFeature FindValue(string value) => value switch
    {
        "CONTENT_MODERATION" => CONTENT_MODERATION,
        "CUSTOM_LABELS" => CUSTOM_LABELS,
        _ => new CustomizationFeature(value),
    };

    public static implicit operator CustomizationFeature(string value) => FindValue(value);

    /// <summary>Whether <paramref name="value"/> is one of the service's values.</summary>
    public static bool IsKnown(string? value) => value is "CONTENT_MODERATION" or "CUSTOM_LABELS";
}
