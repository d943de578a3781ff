using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The service's <c>DatasetStatus</c> enumeration.</summary>
public sealed class DatasetStatus : ConstantClass
{
    public static readonly DatasetStatus CREATE_IN_PROGRESS = new("CREATE_IN_PROGRESS");
    public static readonly DatasetStatus CREATE_COMPLETE = new("CREATE_COMPLETE");
    public static readonly DatasetStatus CREATE_FAILED = new("CREATE_FAILED");
    public static readonly DatasetStatus UPDATE_IN_PROGRESS = new("UPDATE_IN_PROGRESS");
    public static readonly DatasetStatus UPDATE_COMPLETE = new("UPDATE_COMPLETE");
    public static readonly DatasetStatus UPDATE_FAILED = new("UPDATE_FAILED");
    public static readonly DatasetStatus DELETE_IN_PROGRESS = new("DELETE_IN_PROGRESS");

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

    public static implicit operator DatasetStatus(string value) => FindValue(value);

    /// <summary>Whether <paramref name="value"/> is one of the service's values.</summary>
    public static bool IsKnown(string? value) => value is "CREATE_IN_PROGRESS" or "CREATE_COMPLETE" or "CREATE_FAILED" or "UPDATE_IN_PROGRESS" or "UPDATE_COMPLETE" or "UPDATE_FAILED" or "DELETE_IN_PROGRESS";
}
