using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The service's <c>DatasetType</c> enumeration.</summary>
public sealed class DatasetType : ConstantClass
{
    public static readonly DatasetType TRAIN = new("TRAIN");
    public static readonly DatasetType TEST = new("TEST");

    public DatasetType(string value) : base(value) { }

    /// <summary>The known instance for <paramref name="value"/>, or a new one for a value this library does not know.</summary>
    public static DatasetType FindValue(string value) => value switch
    {
        "TRAIN" => TRAIN,
        "TEST" => TEST,
        _ => new DatasetType(value),
    };

    public static implicit operator DatasetType(string value) => FindValue(value);

    /// <summary>Whether <paramref name="value"/> is one of the service's values.</summary>
    public static bool IsKnown(string? value) => value is "TRAIN" or "TEST";
}
