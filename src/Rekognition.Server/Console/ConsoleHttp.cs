using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rekognition.Core.Model;

namespace Rekognition.Server.Console;

/// <summary>Reading the console API's requests and writing its JSON answers.</summary>
internal static class ConsoleHttp
{
    /// <summary>Largest JSON body the API reads (a label save is far smaller).</summary>
    public const int MaxJsonBytes = 1 << 20;

    /// <summary>The request's JSON object body; the service's InvalidParameterException when it is not one.</summary>
    public static async Task<JsonObject> BodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxJsonBytes)
        {
            throw new InvalidParameterException($"The request body is larger than {MaxJsonBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > MaxJsonBytes)
        {
            throw new InvalidParameterException($"The request body is larger than {MaxJsonBytes} bytes.");
        }

        try
        {
            return JsonNode.Parse(buffer.ToArray()) as JsonObject ?? throw new InvalidParameterException("The request body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw new InvalidParameterException("The request body is not valid JSON.");
        }
    }

    /// <summary>A string member of <paramref name="body"/>; null when absent.</summary>
    public static string? String(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var s) ? s : body[name] is null ? null : throw new InvalidParameterException($"{name} must be a string.");

    /// <summary>A required string member of <paramref name="body"/>.</summary>
    public static string Required(JsonObject body, string name) =>
        String(body, name) is { Length: > 0 } s ? s : throw new InvalidParameterException($"{name} is required.");

    /// <summary>An integer member of <paramref name="body"/>; null when absent.</summary>
    public static long? Long(JsonObject body, string name) =>
        body[name] is null ? null : body[name] is JsonValue value && value.TryGetValue<long>(out var n) ? n
            : body[name] is JsonValue d && d.TryGetValue<double>(out var x) && x == Math.Floor(x) && Math.Abs(x) < 1e15 ? (long)x
            : throw new InvalidParameterException($"{name} must be a whole number.");

    /// <summary>A query parameter; the service's InvalidParameterException when required and missing.</summary>
    public static string Query(HttpContext context, string name) =>
        context.Request.Query[name].ToString() is { Length: > 0 } s ? s : throw new InvalidParameterException($"The query parameter '{name}' is required.");

    /// <summary>An optional true/false query parameter.</summary>
    public static bool? QueryBool(HttpContext context, string name) => context.Request.Query[name].ToString() switch
    {
        "" => null,
        "true" => true,
        "false" => false,
        _ => throw new InvalidParameterException($"The query parameter '{name}' must be true or false."),
    };

    /// <summary>Writes <paramref name="json"/> with status 200.</summary>
    public static Task JsonAsync(HttpContext context, JsonNode json)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted);
    }

    /// <summary>Epoch milliseconds of a timestamp, for the page's own formatting.</summary>
    public static long? Ms(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeMilliseconds() : null;
}
