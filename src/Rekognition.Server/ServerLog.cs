using Microsoft.Extensions.Logging;

namespace Rekognition.Server;

/// <summary>The endpoint's log messages.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Operation} answered {Status} {Code}: {Message} (Logref {Logref})")]
    public static partial void ServiceError(ILogger logger, string operation, int status, string code, string message, string logref);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{Operation} failed unexpectedly (Logref {Logref})")]
    public static partial void Unexpected(ILogger logger, Exception exception, string operation, string logref);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "{Operation}: the client went away before the answer")]
    public static partial void ClientGone(ILogger logger, string operation);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Could not send {Code} (Logref {Logref}): the response had already started")]
    public static partial void ResponseStarted(ILogger logger, string code, string logref);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Rekognition endpoint: requests must be signed with SigV4 for access key {AccessKeyId} (service rekognition, region {Region})")]
    public static partial void SigningRequired(ILogger logger, string accessKeyId, string region);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Rekognition endpoint: no credentials configured (Rekognition:AccessKeyId, Rekognition:SecretAccessKey); requests are accepted unsigned, from loopback only, addressed to localhost, 127.0.0.1, [::1] or a Rekognition:AllowedHosts entry")]
    public static partial void Unsigned(ILogger logger);

    [LoggerMessage(EventId = 7, Level = LogLevel.Critical, Message = "Rekognition endpoint: listening on {Addresses}, which is not loopback, without credentials; stopping. Listen on 127.0.0.1 or configure Rekognition:AccessKeyId and Rekognition:SecretAccessKey")]
    public static partial void NotLoopback(ILogger logger, IEnumerable<string> addresses);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Rekognition endpoint: loopback-only on {Addresses}")]
    public static partial void LoopbackOnly(ILogger logger, IEnumerable<string> addresses);
}
