using System.Net;

namespace Rekognition.Core;

/// <summary>
/// Base of every error the library raises for something a caller did or asked, named and shaped as
/// the AWS SDK for .NET names it: <see cref="ErrorCode"/> is the service's error code (the exception's
/// name on the wire), <see cref="StatusCode"/> the HTTP status the service answers with.
/// </summary>
public class AmazonRekognitionException : Exception
{
    public AmazonRekognitionException(string message, string errorCode, HttpStatusCode statusCode = HttpStatusCode.BadRequest, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
        RequestId = Guid.NewGuid().ToString();
    }

    /// <summary>The service's error code, e.g. <c>ResourceNotFoundException</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status code the service answers this error with.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>An identifier for the failed request, as the service's <c>x-amzn-RequestId</c>.</summary>
    public string RequestId { get; }

    /// <summary>Whether the service marks this error as its own fault (5xx): retrying may succeed.</summary>
    public bool IsServerFault => (int)StatusCode >= 500;
}
