using System.Net;
using Rekognition.Core;

namespace Rekognition.Server.Protocol;

/// <summary>
/// Errors of the protocol and of authentication, which the API model does not list but every AWS JSON
/// service answers with (their codes are what clients see as the error code).
/// </summary>
internal static class ProtocolErrors
{
    public const string UnknownOperationCode = "UnknownOperationException";
    public const string SerializationCode = "SerializationException";
    public const string MissingAuthenticationTokenCode = "MissingAuthenticationTokenException";
    public const string UnrecognizedClientCode = "UnrecognizedClientException";
    public const string InvalidSignatureCode = "InvalidSignatureException";
    public const string IncompleteSignatureCode = "IncompleteSignatureException";

    public static AmazonRekognitionException UnknownOperation(string? target) =>
        new(string.IsNullOrEmpty(target)
                ? "The request has no X-Amz-Target header: send RekognitionService.<Operation>."
                : $"Unknown operation '{target}': X-Amz-Target must be RekognitionService.<Operation> for an operation this server implements.",
            UnknownOperationCode);

    public static AmazonRekognitionException Serialization(string message) => new(message, SerializationCode);

    public static AmazonRekognitionException MissingAuthenticationToken() =>
        new("Missing Authentication Token", MissingAuthenticationTokenCode);

    public static AmazonRekognitionException UnrecognizedClient() =>
        new("The security token included in the request is invalid.", UnrecognizedClientCode);

    public static AmazonRekognitionException InvalidSignature(string message) => new(message, InvalidSignatureCode);

    public static AmazonRekognitionException SignatureMismatch() =>
        InvalidSignature("The request signature we calculated does not match the signature you provided. Check the secret access key and how the request is signed (SigV4, service 'rekognition').");

    public static AmazonRekognitionException IncompleteSignature(string message) => new(message, IncompleteSignatureCode);

    public static AmazonRekognitionException RequestTooLarge(long? length, int max) =>
        new(length is { } l
                ? $"The request body is {l} bytes; this server accepts at most {max} bytes."
                : $"The request body is larger than the {max} bytes this server accepts.",
            Rekognition.Core.Model.InvalidParameterException.Code, HttpStatusCode.BadRequest);

    /// <summary>
    /// A Host header an endpoint without credentials does not answer (DNS rebinding). 403 with the
    /// modeled AccessDeniedException: botocore and the AWS CLI read the code from <c>__type</c> whatever
    /// the status and print "An error occurred (AccessDeniedException) ...: message", SDKs map it to their
    /// typed AccessDenied exception, no retry policy retries a 403, and a browser sees a plain refusal.
    /// </summary>
    public static AmazonRekognitionException HostNotAllowed(string? host) =>
        new(string.IsNullOrEmpty(host)
                ? "The request has no Host header. Without credentials this server answers only requests addressed to localhost, 127.0.0.1 or [::1] (or a host in Rekognition:AllowedHosts)."
                : $"The Host '{(host.Length <= 100 ? host : host[..100] + "...")}' is not one this server answers: without credentials it answers only requests addressed to localhost, 127.0.0.1 or [::1] (or a host in Rekognition:AllowedHosts).",
            Rekognition.Core.Model.AccessDeniedException.Code, HttpStatusCode.Forbidden);

    public static AmazonRekognitionException NotLoopback() =>
        new("This server has no credentials configured, so it only answers requests from this machine (loopback). Configure Rekognition:AccessKeyId and Rekognition:SecretAccessKey to accept signed requests from elsewhere.",
            Rekognition.Core.Model.AccessDeniedException.Code);
}
