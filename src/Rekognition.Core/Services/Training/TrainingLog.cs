using Microsoft.Extensions.Logging;

namespace Rekognition.Core.Services.Training;

/// <summary>The training service's log lines: how a training run ended when it did not end well (event ids 170-179).</summary>
internal static partial class TrainingLog
{
    [LoggerMessage(EventId = 170, Level = LogLevel.Warning, Message = "Model {Arn} was trained but not evaluated: no inference runtime is registered")]
    public static partial void NotEvaluated(ILogger logger, string arn);

    [LoggerMessage(EventId = 171, Level = LogLevel.Warning, Message = "Training {Arn} refused to write its output outside the buckets root")]
    public static partial void RefusedOutsideRoot(ILogger logger, Exception exception, string arn);

    [LoggerMessage(EventId = 172, Level = LogLevel.Error, Message = "Training {Arn} failed")]
    public static partial void Failed(ILogger logger, Exception exception, string arn);

    [LoggerMessage(EventId = 173, Level = LogLevel.Warning, Message = "Training {Arn} ended but the version had already left TRAINING_IN_PROGRESS")]
    public static partial void AlreadyFinished(ILogger logger, string arn);

    [LoggerMessage(EventId = 174, Level = LogLevel.Debug, Message = "The checkpoint could not be copied to the store this time")]
    public static partial void CheckpointNotMirrored(ILogger logger, Exception exception);
}
