using Microsoft.Extensions.Logging;

namespace Rekognition.Core.Retraining;

/// <summary>The retraining loop's log lines (event ids 180-189).</summary>
internal static partial class RetrainingLog
{
    [LoggerMessage(EventId = 180, Level = LogLevel.Information, Message = "Retraining project {Project}: {Reason}; training {Version}")]
    public static partial void Training(ILogger logger, string project, string reason, string version);

    [LoggerMessage(EventId = 181, Level = LogLevel.Information, Message = "Retraining project {Project}: {Version} promoted {Promoted}: {Reason}")]
    public static partial void Decided(ILogger logger, string project, string version, bool promoted, string reason);

    [LoggerMessage(EventId = 182, Level = LogLevel.Debug, Message = "Retraining check of {Project}: {Outcome}")]
    public static partial void Checked(ILogger logger, string project, string outcome);

    [LoggerMessage(EventId = 183, Level = LogLevel.Warning, Message = "The retraining check failed; it runs again at the next interval")]
    public static partial void CheckFailed(ILogger logger, Exception error);
}
