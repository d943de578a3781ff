using System.Net;
using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>
/// The service's <c>MalformedPolicyDocumentException</c> (HTTP 400, the caller's fault): The format of the project policy document is incorrect.
/// Every constructor fills in <see cref="AmazonServiceException.ErrorCode"/>, <see cref="AmazonServiceException.ErrorType"/>,
/// <see cref="AmazonServiceException.StatusCode"/> and <see cref="AmazonServiceException.RequestId"/> unless given them.
/// </summary>
public sealed class MalformedPolicyDocumentException : AmazonRekognitionException
{
    /// <summary>The service's error code for this error (the <c>__type</c> of its answer).</summary>
    public const string Code = "MalformedPolicyDocumentException";

    private const HttpStatusCode Status = HttpStatusCode.BadRequest;

    /// <summary>The error with <paramref name="message"/>.</summary>
    public MalformedPolicyDocumentException(string message)
        : base(message, ErrorTypeOf(Status), Code, NewRequestId(), Status)
    {
    }

    /// <summary>The error with <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public MalformedPolicyDocumentException(string message, Exception innerException)
        : base(message, innerException, ErrorTypeOf(Status), Code, NewRequestId(), Status)
    {
    }

    /// <summary>The error carrying <paramref name="innerException"/>'s message.</summary>
    public MalformedPolicyDocumentException(Exception innerException)
        : this((innerException ?? throw new ArgumentNullException(nameof(innerException))).Message, innerException)
    {
    }

    /// <summary>The error as an answer described it: its fault, code, request id and HTTP status.</summary>
    public MalformedPolicyDocumentException(string message, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
        : base(message, errorType, errorCode, requestId, statusCode)
    {
    }

    /// <summary>As <see cref="MalformedPolicyDocumentException(string, ErrorType, string, string, HttpStatusCode)"/>, with the error's cause.</summary>
    public MalformedPolicyDocumentException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
        : base(message, innerException, errorType, errorCode, requestId, statusCode)
    {
    }
}
