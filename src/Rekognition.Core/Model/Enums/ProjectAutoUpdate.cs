using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The service's <c>ProjectAutoUpdate</c> enumeration.</summary>
public sealed class ProjectAutoUpdate : ConstantClass
{
    public static readonly ProjectAutoUpdate ENABLED = new("ENABLED");
    public static readonly ProjectAutoUpdate DISABLED = new("DISABLED");

    public ProjectAutoUpdate(string value) : base(value) { }

    /// <summary>The known instance for <paramref name="value"/>, or a new one for a value this library does not know.</summary>
    public static ProjectAutoUpdate FindValue(string value) => value switch
    {
        "ENABLED" => ENABLED,
        "DISABLED" => DISABLED,
        _ => new ProjectAutoUpdate(value),
    };

    public static implicit operator ProjectAutoUpdate(string value) => FindValue(value);

    /// <summary>Whether <paramref name="value"/> is one of the service's values.</summary>
    public static bool IsKnown(string? value) => value is "ENABLED" or "DISABLED";
}
