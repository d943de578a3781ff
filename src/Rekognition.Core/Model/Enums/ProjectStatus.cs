using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The service's <c>ProjectStatus</c> enumeration.</summary>
public sealed class ProjectStatus : ConstantClass
{
    public static readonly ProjectStatus CREATING = new("CREATING");
    public static readonly ProjectStatus CREATED = new("CREATED");
    public static readonly ProjectStatus DELETING = new("DELETING");

    public ProjectStatus(string value) : base(value) { }

    /// <summary>The known instance for <paramref name="value"/>, or a new one for a value this library does not know.</summary>
    public static ProjectStatus FindValue(string value) => value switch
    {
        "CREATING" => CREATING,
        "CREATED" => CREATED,
        "DELETING" => DELETING,
        _ => new ProjectStatus(value),
    };

    public static implicit operator ProjectStatus(string value) => FindValue(value);

    /// <summary>Whether <paramref name="value"/> is one of the service's values.</summary>
    public static bool IsKnown(string? value) => value is "CREATING" or "CREATED" or "DELETING";
}
