using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The service's <c>ProjectStatus</c> enumeration.</summary>
public sealed class ProjectStatus : ConstantClass
{
    /// <summary>The project is being created.</summary>
    public static readonly ProjectStatus CREATING = new("CREATING");
    /// <summary>The project exists and can be used.</summary>
    public static readonly ProjectStatus CREATED = new("CREATED");
    /// <summary>The project is being deleted.</summary>
    public static readonly ProjectStatus DELETING = new("DELETING");

    /// <summary>A <see cref="ProjectStatus"/> with <paramref name="value"/>; prefer the static values or <c>FindValue</c>.</summary>
    public ProjectStatus(string value) : base(value) { }

    /// <summary>The known instance for <paramref name="value"/>, or a new one for a value this library does not know.</summary>
    public static ProjectStatus FindValue(string value) => value switch
    {
        "CREATING" => CREATING,
        "CREATED" => CREATED,
        "DELETING" => DELETING,
        _ => new ProjectStatus(value),
    };

    /// <summary>The known <see cref="ProjectStatus"/> for <paramref name="value"/>, or a new one, so a string can stand where the enumeration is expected.</summary>
    public static implicit operator ProjectStatus(string value) => FindValue(value);

    /// <summary>Whether <paramref name="value"/> is one of the service's values.</summary>
    public static bool IsKnown(string? value) => value is "CREATING" or "CREATED" or "DELETING";
}
