using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The service's <c>DatasetStatusMessageCode</c> enumeration.</summary>
public sealed class DatasetStatusMessageCode : ConstantClass
{
    /// <summary>The operation succeeded.</summary>
    public static readonly DatasetStatusMessageCode SUCCESS = new("SUCCESS");
    /// <summary>The operation failed through the service's fault; try again later.</summary>
    public static readonly DatasetStatusMessageCode SERVICE_ERROR = new("SERVICE_ERROR");
    /// <summary>The operation failed through the caller's fault; check its input.</summary>
    public static readonly DatasetStatusMessageCode CLIENT_ERROR = new("CLIENT_ERROR");

    /// <summary>A <see cref="DatasetStatusMessageCode"/> with <paramref name="value"/>; prefer the static values or <c>FindValue</c>.</summary>
    public DatasetStatusMessageCode(string value) : base(value) { }

    /// <summary>The known instance for <paramref name="value"/>, or a new one for a value this library does not know.</summary>
    public static DatasetStatusMessageCode FindValue(string value) => value switch
    {
        "SUCCESS" => SUCCESS,
        "SERVICE_ERROR" => SERVICE_ERROR,
        "CLIENT_ERROR" => CLIENT_ERROR,
        _ => new DatasetStatusMessageCode(value),
    };

    /// <summary>The known <see cref="DatasetStatusMessageCode"/> for <paramref name="value"/>, or a new one, so a string can stand where the enumeration is expected.</summary>
    public static implicit operator DatasetStatusMessageCode(string value) => FindValue(value);

    /// <summary>Whether <paramref name="value"/> is one of the service's values.</summary>
    public static bool IsKnown(string? value) => value is "SUCCESS" or "SERVICE_ERROR" or "CLIENT_ERROR";
}
