using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The service's <c>DatasetStatus</c> enumeration.</summary>
public sealed class DatasetStatus : ConstantClass
{
    /// <summary>The dataset is being created.</summary>
    public static readonly DatasetStatus CREATE_IN_PROGRESS = new("CREATE_IN_PROGRESS");
    /// <summary>The dataset was created.</summary>
    public static readonly DatasetStatus CREATE_COMPLETE = new("CREATE_COMPLETE");
    /// <summary>Creating the dataset failed.</summary>
    public static readonly DatasetStatus CREATE_FAILED = new("CREATE_FAILED");
    /// <summary>The dataset is being changed.</summary>
    public static readonly DatasetStatus UPDATE_IN_PROGRESS = new("UPDATE_IN_PROGRESS");
    /// <summary>The last change to the dataset was applied.</summary>
    public static readonly DatasetStatus UPDATE_COMPLETE = new("UPDATE_COMPLETE");
    /// <summary>The last change to the dataset failed.</summary>
    public static readonly DatasetStatus UPDATE_FAILED = new("UPDATE_FAILED");
    /// <summary>The dataset is being deleted.</summary>
    public static readonly DatasetStatus DELETE_IN_PROGRESS = new("DELETE_IN_PROGRESS");

    /// <summary>A <see cref="DatasetStatus"/> with <paramref name="value"/>; prefer the static values or <c>FindValue</c>.</summary>
    public DatasetStatus(string value) : base(value) { }

    /// <summary>The known instance for <paramref name="value"/>, or a new one for a value this library does not know.</summary>
    public static DatasetStatus FindValue(string value) => value switch
    {
        "CREATE_IN_PROGRESS" => CREATE_IN_PROGRESS,
        "CREATE_COMPLETE" => CREATE_COMPLETE,
        "CREATE_FAILED" => CREATE_FAILED,
        "UPDATE_IN_PROGRESS" => UPDATE_IN_PROGRESS,
        "UPDATE_COMPLETE" => UPDATE_COMPLETE,
        "UPDATE_FAILED" => UPDATE_FAILED,
        "DELETE_IN_PROGRESS" => DELETE_IN_PROGRESS,
        _ => new DatasetStatus(value),
    };

    /// <summary>The known <see cref="DatasetStatus"/> for <paramref name="value"/>, or a new one, so a string can stand where the enumeration is expected.</summary>
    public static implicit operator DatasetStatus(string value) => FindValue(value);

    /// <summary>Whether <paramref name="value"/> is one of the service's values.</summary>
    public static bool IsKnown(string? value) => value is "CREATE_IN_PROGRESS" or "CREATE_COMPLETE" or "CREATE_FAILED" or "UPDATE_IN_PROGRESS" or "UPDATE_COMPLETE" or "UPDATE_FAILED" or "DELETE_IN_PROGRESS";
}
