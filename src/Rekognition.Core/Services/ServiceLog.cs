using Microsoft.Extensions.Logging;

namespace Rekognition.Core.Services;

/// <summary>The log lines of what the services share: background operations and store clean-up (event ids 140-149).</summary>
internal static partial class ServiceLog
{
    [LoggerMessage(EventId = 140, Level = LogLevel.Error, Message = "Background operation {Operation} failed")]
    public static partial void BackgroundOperationFailed(ILogger logger, Exception exception, string operation);

    [LoggerMessage(EventId = 141, Level = LogLevel.Warning, Message = "Could not remove the store's objects beneath {Prefix}")]
    public static partial void ObjectsNotRemoved(ILogger logger, Exception exception, string prefix);
}
