using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The service's <c>DatasetType</c> enumeration.</summary>
public sealed class DatasetType : ConstantClass
{
    /// <summary>The dataset that trains the model.</summary>
    public static readonly DatasetType TRAIN = new("TRAIN");
    /// <summary>The dataset that tests the model.</summary>
    public static readonly DatasetType TEST = new("TEST");

    /// <summary>A <see cref="DatasetType"/> with <paramref name="value"/>; prefer the static values or <c>FindValue</c>.</summary>
    public DatasetType(string value) : base(value) { }

    /// <summary>The known instance for <paramref name="value"/>, or a new one for a value this library does not know.</summary>
    public static DatasetType FindValue(string value) => value switch
    {
        "TRAIN" => TRAIN,
        "TEST" => TEST,
        _ => new DatasetType(value),
    };

    /// <summary>The known <see cref="DatasetType"/> for <paramref name="value"/>, or a new one, so a string can stand where the enumeration is expected.</summary>
    public static implicit operator DatasetType(string value) => FindValue(value);

    /// <summary>Whether <paramref name="value"/> is one of the service's values.</summary>
    public static bool IsKnown(string? value) => value is "TRAIN" or "TEST";
}
