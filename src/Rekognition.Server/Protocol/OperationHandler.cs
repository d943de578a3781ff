using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Rekognition.Core;
using Rekognition.Server.Json;

namespace Rekognition.Server.Protocol;

/// <summary>The body and request id of a successful call.</summary>
internal readonly record struct OperationResult(byte[] Body, string? RequestId);

/// <summary>
/// One operation of the protocol: reads its request from the JSON body, calls the client, writes its
/// response. Made with <see cref="Handle{TRequest, TResponse}"/>.
/// </summary>
internal sealed class OperationHandler
{
    private readonly Func<IAmazonRekognition, ReadOnlyMemory<byte>, CancellationToken, Task<OperationResult>> _invoke;

    private OperationHandler(Type requestType, Type responseType, Func<IAmazonRekognition, ReadOnlyMemory<byte>, CancellationToken, Task<OperationResult>> invoke)
    {
        RequestType = requestType;
        ResponseType = responseType;
        _invoke = invoke;
    }

    public Type RequestType { get; }

    public Type ResponseType { get; }

    /// <summary>A handler that deserializes <typeparamref name="TRequest"/>, awaits <paramref name="call"/> and serializes its result.</summary>
    public static OperationHandler Handle<TRequest, TResponse>(Func<IAmazonRekognition, TRequest, CancellationToken, Task<TResponse>> call)
        where TRequest : AmazonRekognitionRequest
        where TResponse : AmazonWebServiceResponse
    {
        ArgumentNullException.ThrowIfNull(call);
        var requestInfo = WireJson.TypeInfo<TRequest>();
        var responseInfo = WireJson.TypeInfo<TResponse>();
        return new OperationHandler(typeof(TRequest), typeof(TResponse), async (client, body, cancellationToken) =>
        {
            var request = ReadRequest(body.Span, requestInfo);
            var response = await call(client, request, cancellationToken).ConfigureAwait(false);
            return new OperationResult(JsonSerializer.SerializeToUtf8Bytes(response, responseInfo), response.ResponseMetadata?.RequestId);
        });
    }

    /// <summary>Runs the operation on <paramref name="body"/>.</summary>
    public Task<OperationResult> InvokeAsync(IAmazonRekognition client, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        _invoke(client, body, cancellationToken);

    internal static T ReadRequest<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo)
    {
        var first = FirstToken(body);
        if (first != JsonTokenType.StartObject)
        {
            throw ProtocolErrors.Serialization(first is null
                ? "The request body is empty or not JSON: send a JSON object ({} for no parameters)."
                : $"The request body must be a JSON object, not {ConstantClassConverterFactory.Describe(first.Value)}.");
        }

        try
        {
            return JsonSerializer.Deserialize(body, typeInfo)
                ?? throw ProtocolErrors.Serialization("The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw ProtocolErrors.Serialization(Describe(ex));
        }
    }

    private static JsonTokenType? FirstToken(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            return reader.Read() ? reader.TokenType : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(JsonException ex)
    {
        var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? null : ex.Path;
        var message = ex.Message;
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return path is null
                ? "The request body does not match the operation's input shape."
                : $"The value at '{path}' has a JSON type that the operation's input shape does not allow there.";
        }

        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        return path is null ? $"The request body is not valid JSON for this operation: {message}" : $"Invalid value at '{path}': {message}";
    }
}
