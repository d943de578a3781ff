using Microsoft.Extensions.Logging;

namespace Rekognition.Core.Retraining;

/// <summary>The retraining loop's log lines (event ids 170-179).</summary>
internal static partial class RetrainingLog
{
    [LoggerMessage(EventId = 170, Level = LogLevel.Information, Message = "Retraining project {Project}: {Reason}; training {Version}")]
    public static partial void Training(ILogger logger, string project, string reason, string version);

    [LoggerMessage(EventId = 171, Level = LogLevel.Information, Message = "Retraining project {Project}: {Version} promoted {Promoted}: {Reason}")]
    public static partial void Decided(ILogger logger, string project, string version, bool promoted, string reason);

    [LoggerMessage(EventId = 172, Level = LogLevel.Debug, Message = "Retraining check of {Project}: {Outcome}")]
    public static partial void Checked(ILogger logger, string project, string outcome);
}
