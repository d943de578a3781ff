using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The service's <c>ProjectAutoUpdate</c> enumeration.</summary>
public sealed class ProjectAutoUpdate : ConstantClass
{
    /// <summary>The service tries to retrain the project's versions automatically.</summary>
    public static readonly ProjectAutoUpdate ENABLED = new("ENABLED");
    /// <summary>The project's versions are not retrained automatically.</summary>
    public static readonly ProjectAutoUpdate DISABLED = new("DISABLED");

    /// <summary>A <see cref="ProjectAutoUpdate"/> with <paramref name="value"/>; prefer the static values or <c>FindValue</c>.</summary>
    public ProjectAutoUpdate(string value) : base(value) { }

    /// <summary>The known instance for <paramref name="value"/>, or a new one for a value this library does not know.</summary>
    public static ProjectAutoUpdate FindValue(string value) => value switch
    {
        "ENABLED" => ENABLED,
        "DISABLED" => DISABLED,
        _ => new ProjectAutoUpdate(value),
    };

    /// <summary>The known <see cref="ProjectAutoUpdate"/> for <paramref name="value"/>, or a new one, so a string can stand where the enumeration is expected.</summary>
    public static implicit operator ProjectAutoUpdate(string value) => FindValue(value);

    /// <summary>Whether <paramref name="value"/> is one of the service's values.</summary>
    public static bool IsKnown(string? value) => value is "ENABLED" or "DISABLED";
}
