using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The service's <c>DatasetStatusMessageCode</c> enumeration.</summary>
public sealed class DatasetStatusMessageCode : ConstantClass
{
    public static readonly DatasetStatusMessageCode SUCCESS = new("SUCCESS");
    public static readonly DatasetStatusMessageCode SERVICE_ERROR = new("SERVICE_ERROR");
    public static readonly DatasetStatusMessageCode CLIENT_ERROR = new("CLIENT_ERROR");

    public DatasetStatusMessageCode(string value) : base(value) { }

    /// <summary>The known instance for <paramref name="value"/>, or a new one for a value this library does not know.</summary>
    public static DatasetStatusMessageCode FindValue(string value) => value switch
    {
        "SUCCESS" => SUCCESS,
        "SERVICE_ERROR" => SERVICE_ERROR,
        "CLIENT_ERROR" => CLIENT_ERROR,
        _ => new DatasetStatusMessageCode(value),
    };

    public static implicit operator DatasetStatusMessageCode(string value) => FindValue(value);

    /// <summary>Whether <paramref name="value"/> is one of the service's values.</summary>
    public static bool IsKnown(string? value) => value is "SUCCESS" or "SERVICE_ERROR" or "CLIENT_ERROR";
}
