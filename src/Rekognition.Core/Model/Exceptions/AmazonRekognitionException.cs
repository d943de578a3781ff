using System.Net;
using Amazon.Runtime;

namespace Rekognition.Core;

/// <summary>
/// Base of every error the service answers with, named, placed and constructed as the AWS SDK for .NET's
/// <c>Amazon.Rekognition.AmazonRekognitionException</c>. It derives from AWSSDK.Core's
/// <see cref="AmazonServiceException"/> so ported code that catches <c>AmazonServiceException</c> and reads
/// <see cref="AmazonServiceException.ErrorCode"/>, <see cref="AmazonServiceException.ErrorType"/>,
/// <see cref="AmazonServiceException.StatusCode"/> or <see cref="AmazonServiceException.RequestId"/> works unchanged.
/// The service's own errors (<c>Rekognition.Core.Model.ResourceNotFoundException</c>, ...) fill all four in.
/// </summary>
public class AmazonRekognitionException : AmazonServiceException
{
    /// <summary>An error with a message only (no code, status or request id), as the SDK makes it.</summary>
    public AmazonRekognitionException(string message)
        : base(message)
    {
    }

    /// <summary>An error with a message and its cause (no code, status or request id), as the SDK makes it.</summary>
    public AmazonRekognitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An error carrying <paramref name="innerException"/>'s message.</summary>
    public AmazonRekognitionException(Exception innerException)
        : base((innerException ?? throw new ArgumentNullException(nameof(innerException))).Message, innerException)
    {
    }

    /// <summary>An error with the service's error code, whose fault it is, the request's id and the HTTP status.</summary>
    public AmazonRekognitionException(string message, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
        : base(message, errorType, errorCode, requestId, statusCode)
    {
    }

    /// <summary>As <see cref="AmazonRekognitionException(string, ErrorType, string, string, HttpStatusCode)"/>, with the error's cause.</summary>
    public AmazonRekognitionException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
        : base(message, innerException, errorType, errorCode, requestId, statusCode)
    {
    }

    /// <summary>A new request id for an error raised in process (the service sends one with every answer).</summary>
    internal static string NewRequestId() => Guid.NewGuid().ToString();

    /// <summary>Whose fault an answer with <paramref name="status"/> is, as the service's model marks its errors (5xx: the service's).</summary>
    internal static ErrorType ErrorTypeOf(HttpStatusCode status) => (int)status >= 500 ? ErrorType.Receiver : ErrorType.Sender;
}
