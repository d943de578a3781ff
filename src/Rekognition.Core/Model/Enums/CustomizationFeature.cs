using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The service's <c>CustomizationFeature</c> enumeration.</summary>
public sealed class CustomizationFeature : ConstantClass
{
    /// <summary>The project trains an adapter for content moderation.</summary>
    public static readonly CustomizationFeature CONTENT_MODERATION = new("CONTENT_MODERATION");
    /// <summary>The project trains models that find custom labels.</summary>
    public static readonly CustomizationFeature CUSTOM_LABELS = new("CUSTOM_LABELS");

    /// <summary>A <see cref="CustomizationFeature"/> with <paramref name="value"/>; prefer the static values or <c>FindValue</c>.</summary>
    public CustomizationFeature(string value) : base(value) { }

    /// <summary>The known instance for <paramref name="value"/>, or a new one for a value this library does not know.</summary>
    public static CustomizationFeature FindValue(string value) => value switch
    {
        "CONTENT_MODERATION" => CONTENT_MODERATION,
        "CUSTOM_LABELS" => CUSTOM_LABELS,
        _ => new CustomizationFeature(value),
    };

    /// <summary>The known <see cref="CustomizationFeature"/> for <paramref name="value"/>, or a new one, so a string can stand where the enumeration is expected.</summary>
    public static implicit operator CustomizationFeature(string value) => FindValue(value);

    /// <summary>Whether <paramref name="value"/> is one of the service's values.</summary>
    public static bool IsKnown(string? value) => value is "CONTENT_MODERATION" or "CUSTOM_LABELS";
}
