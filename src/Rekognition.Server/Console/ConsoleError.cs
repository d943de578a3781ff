using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Rekognition.Server.Console;

/// <summary>An error answer of the console's API: the HTTP status, the service's error code and a message in words.</summary>
internal sealed record ConsoleError(int Status, string Code, string Message)
{
    /// <summary>Writes the error as <c>{"code": ..., "message": ...}</c>.</summary>
    public Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(new JsonObject { ["code"] = Code, ["message"] = Message }.ToJsonString(), context.RequestAborted);
    }
}
