using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The service's <c>ProjectVersionStatus</c> enumeration.</summary>
public sealed class ProjectVersionStatus : ConstantClass
{
    public static readonly ProjectVersionStatus TRAINING_IN_PROGRESS = new("TRAINING_IN_PROGRESS");
    public static readonly ProjectVersionStatus TRAINING_COMPLETED = new("TRAINING_COMPLETED");
    public static readonly ProjectVersionStatus TRAINING_FAILED = new("TRAINING_FAILED");
    public static readonly ProjectVersionStatus STARTING = new("STARTING");
    public static readonly ProjectVersionStatus RUNNING = new("RUNNING");
    public static readonly ProjectVersionStatus FAILED = new("FAILED");
    public static readonly ProjectVersionStatus STOPPING = new("STOPPING");
    public static readonly ProjectVersionStatus STOPPED = new("STOPPED");
    public static readonly ProjectVersionStatus DELETING = new("DELETING");
    public static readonly ProjectVersionStatus COPYING_IN_PROGRESS = new("COPYING_IN_PROGRESS");
    public static readonly ProjectVersionStatus COPYING_COMPLETED = new("COPYING_COMPLETED");
    public static readonly ProjectVersionStatus COPYING_FAILED = new("COPYING_FAILED");
    public static readonly ProjectVersionStatus DEPRECATED = new("DEPRECATED");
    public static readonly ProjectVersionStatus EXPIRED = new("EXPIRED");

    public ProjectVersionStatus(string value) : base(value) { }

    /// <summary>The known instance for <paramref name="value"/>, or a new one for a value this library does not know.</summary>
    public static ProjectVersionStatus FindValue(string value) => value switch
    {
        "TRAINING_IN_PROGRESS" => TRAINING_IN_PROGRESS,
        "TRAINING_COMPLETED" => TRAINING_COMPLETED,
        "TRAINING_FAILED" => TRAINING_FAILED,
        "STARTING" => STARTING,
        "RUNNING" => RUNNING,
        "FAILED" => FAILED,
        "STOPPING" => STOPPING,
        "STOPPED" => STOPPED,
        "DELETING" => DELETING,
        "COPYING_IN_PROGRESS" => COPYING_IN_PROGRESS,
        "COPYING_COMPLETED" => COPYING_COMPLETED,
        "COPYING_FAILED" => COPYING_FAILED,
        "DEPRECATED" => DEPRECATED,
        "EXPIRED" => EXPIRED,
        _ => new ProjectVersionStatus(value),
    };

    public static implicit operator ProjectVersionStatus(string value) => FindValue(value);

    /// <summary>Whether <paramref name="value"/> is one of the service's values.</summary>
    public static bool IsKnown(string? value) => value is "TRAINING_IN_PROGRESS" or "TRAINING_COMPLETED" or "TRAINING_FAILED" or "STARTING" or "RUNNING" or "FAILED" or "STOPPING" or "STOPPED" or "DELETING" or "COPYING_IN_PROGRESS" or "COPYING_COMPLETED" or "COPYING_FAILED" or "DEPRECATED" or "EXPIRED";
}
