using Microsoft.Extensions.Logging;

namespace Rekognition.Server.Console;

internal static partial class ConsoleLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "Console request {Path} failed")]
    public static partial void Failed(ILogger logger, string path, Exception exception);
}
