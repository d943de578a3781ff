using Microsoft.Extensions.Logging;

namespace Rekognition.Core.Feedback;

/// <summary>The feedback recorder's log lines: a detection whose feedback could not be kept (event ids 130-139).</summary>
internal static partial class FeedbackLog
{
    [LoggerMessage(EventId = 130, Level = LogLevel.Warning, Message = "Feedback for {Arn} not recorded: the image header could not be read ({Problem})")]
    public static partial void HeaderUnreadable(ILogger logger, string arn, string? problem);

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "Feedback for {Arn} not recorded")]
    public static partial void NotRecorded(ILogger logger, Exception exception, string arn);
}
