using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The service's <c>ProjectVersionStatus</c> enumeration.</summary>
public sealed class ProjectVersionStatus : ConstantClass
{
    /// <summary>The model version is being trained.</summary>
    public static readonly ProjectVersionStatus TRAINING_IN_PROGRESS = new("TRAINING_IN_PROGRESS");
    /// <summary>Training succeeded; the version can be started.</summary>
    public static readonly ProjectVersionStatus TRAINING_COMPLETED = new("TRAINING_COMPLETED");
    /// <summary>Training failed; see the status message.</summary>
    public static readonly ProjectVersionStatus TRAINING_FAILED = new("TRAINING_FAILED");
    /// <summary>The model version is being started.</summary>
    public static readonly ProjectVersionStatus STARTING = new("STARTING");
    /// <summary>The model version is running and can detect labels.</summary>
    public static readonly ProjectVersionStatus RUNNING = new("RUNNING");
    /// <summary>Starting the model version failed.</summary>
    public static readonly ProjectVersionStatus FAILED = new("FAILED");
    /// <summary>The model version is being stopped.</summary>
    public static readonly ProjectVersionStatus STOPPING = new("STOPPING");
    /// <summary>The model version is trained and not running.</summary>
    public static readonly ProjectVersionStatus STOPPED = new("STOPPED");
    /// <summary>The model version is being deleted.</summary>
    public static readonly ProjectVersionStatus DELETING = new("DELETING");
    /// <summary>The model version is being copied from another project.</summary>
    public static readonly ProjectVersionStatus COPYING_IN_PROGRESS = new("COPYING_IN_PROGRESS");
    /// <summary>The model version was copied from another project.</summary>
    public static readonly ProjectVersionStatus COPYING_COMPLETED = new("COPYING_COMPLETED");
    /// <summary>Copying the model version failed.</summary>
    public static readonly ProjectVersionStatus COPYING_FAILED = new("COPYING_FAILED");
    /// <summary>The model version's base model is deprecated.</summary>
    public static readonly ProjectVersionStatus DEPRECATED = new("DEPRECATED");
    /// <summary>The model version's base model has expired; it can no longer run.</summary>
    public static readonly ProjectVersionStatus EXPIRED = new("EXPIRED");

    /// <summary>A <see cref="ProjectVersionStatus"/> with <paramref name="value"/>; prefer the static values or <c>FindValue</c>.</summary>
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

    /// <summary>The known <see cref="ProjectVersionStatus"/> for <paramref name="value"/>, or a new one, so a string can stand where the enumeration is expected.</summary>
    public static implicit operator ProjectVersionStatus(string value) => FindValue(value);

    /// <summary>Whether <paramref name="value"/> is one of the service's values.</summary>
    public static bool IsKnown(string? value) => value is "TRAINING_IN_PROGRESS" or "TRAINING_COMPLETED" or "TRAINING_FAILED" or "STARTING" or "RUNNING" or "FAILED" or "STOPPING" or "STOPPED" or "DELETING" or "COPYING_IN_PROGRESS" or "COPYING_COMPLETED" or "COPYING_FAILED" or "DEPRECATED" or "EXPIRED";
}
