using Microsoft.Extensions.Logging;

namespace Rekognition.Core.Services.Copying;

/// <summary>The model copy's log lines (event ids 150-159).</summary>
internal static partial class CopyLog
{
    [LoggerMessage(EventId = 150, Level = LogLevel.Warning, Message = "Copying {Source} to {Arn} refused to write outside the buckets root")]
    public static partial void RefusedOutsideRoot(ILogger logger, Exception exception, string source, string arn);

    [LoggerMessage(EventId = 151, Level = LogLevel.Error, Message = "Copying {Source} to {Arn} failed")]
    public static partial void Failed(ILogger logger, Exception exception, string source, string arn);
}
