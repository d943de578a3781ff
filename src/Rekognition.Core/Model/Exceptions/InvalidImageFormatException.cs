using System.Net;
using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>
/// The service's <c>InvalidImageFormatException</c> (HTTP 400, the caller's fault): The provided image format is not supported.
/// Every constructor fills in <see cref="AmazonServiceException.ErrorCode"/>, <see cref="AmazonServiceException.ErrorType"/>,
/// <see cref="AmazonServiceException.StatusCode"/> and <see cref="AmazonServiceException.RequestId"/> unless given them.
/// </summary>
public sealed class InvalidImageFormatException : AmazonRekognitionException
{
    /// <summary>The service's error code for this error (the <c>__type</c> of its answer).</summary>
    public const string Code = "InvalidImageFormatException";

    private const HttpStatusCode Status = HttpStatusCode.BadRequest;

    /// <summary>The error with <paramref name="message"/>.</summary>
    public InvalidImageFormatException(string message)
        : base(message, ErrorTypeOf(Status), Code, NewRequestId(), Status)
    {
    }

    /// <summary>The error with <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public InvalidImageFormatException(string message, Exception innerException)
        : base(message, innerException, ErrorTypeOf(Status), Code, NewRequestId(), Status)
    {
    }

    /// <summary>The error carrying <paramref name="innerException"/>'s message.</summary>
    public InvalidImageFormatException(Exception innerException)
        : this((innerException ?? throw new ArgumentNullException(nameof(innerException))).Message, innerException)
    {
    }

    /// <summary>The error as an answer described it: its fault, code, request id and HTTP status.</summary>
    public InvalidImageFormatException(string message, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
        : base(message, errorType, errorCode, requestId, statusCode)
    {
    }

    /// <summary>As <see cref="InvalidImageFormatException(string, ErrorType, string, string, HttpStatusCode)"/>, with the error's cause.</summary>
    public InvalidImageFormatException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
        : base(message, innerException, errorType, errorCode, requestId, statusCode)
    {
    }
}
