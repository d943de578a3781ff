using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Rekognition.Server.Protocol;

/// <summary>Writes the protocol's responses: JSON bodies with the awsJson 1.1 content type and a request id.</summary>
internal static class WireResponses
{
    public const string ContentType = "application/x-amz-json-1.1";
    public const string RequestIdHeader = "x-amzn-RequestId";
    public const string ErrorTypeHeader = "x-amzn-ErrorType";

    /// <summary>200 with <paramref name="body"/>.</summary>
    public static Task WriteSuccessAsync(HttpResponse response, byte[] body, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers[RequestIdHeader] = requestId;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, cancellationToken).AsTask();
    }

    /// <summary>The error body: <c>{"__type":code,"Code":code,"Logref":uuid,"Message":text}</c>.</summary>
    public static byte[] ErrorBody(string code, string message, string logref)
    {
        using var buffer = new MemoryStream(128 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("__type", code);
            writer.WriteString("Code", code);
            writer.WriteString("Logref", logref);
            writer.WriteString("Message", message);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>An error with its status, the error-type and request-id headers, and the error body.</summary>
    public static Task WriteErrorAsync(HttpResponse response, HttpStatusCode status, string code, string message, string requestId, string logref, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = ErrorBody(code, message, logref);
        response.StatusCode = (int)status;
        response.ContentType = ContentType;
        response.Headers[RequestIdHeader] = requestId;
        response.Headers[ErrorTypeHeader] = code;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, cancellationToken).AsTask();
    }
}
