using Microsoft.Extensions.Logging;

namespace Rekognition.Core.Services.Startup;

/// <summary>The store start-up's log lines: work a stopped process left unfinished (event ids 110-119).</summary>
internal static partial class StartupLog
{
    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Marked {Count} dataset operation(s) interrupted by a stopped process as failed")]
    public static partial void DatasetOperationsRecovered(ILogger logger, int count);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Marked {Count} training(s) interrupted by a process that ended as TRAINING_FAILED")]
    public static partial void TrainingsRecovered(ILogger logger, int count);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Marked {Count} copy operation(s) interrupted by a process that ended as COPYING_FAILED")]
    public static partial void CopiesRecovered(ILogger logger, int count);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "Marked {Count} model version(s) hosted by a process that ended as STOPPED")]
    public static partial void HostingRecovered(ILogger logger, int count);
}
