using Microsoft.Extensions.Logging;
using Rekognition.Core.Storage;
using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Core.Datasets;

/// <summary>The dataset import and its service's log lines (event ids 120-129).</summary>
internal static partial class DatasetLog
{
    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "The manifest of dataset {DatasetId} could not be opened beneath its root ({Failure}): {Path}")]
    public static partial void ManifestUnopenable(ILogger logger, long datasetId, ConfinedOpenFailure failure, string path);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "Dataset operation could not read its input")]
    public static partial void InputUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 122, Level = LogLevel.Error, Message = "Dataset operation failed")]
    public static partial void OperationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 123, Level = LogLevel.Warning, Message = "Import of {Dataset} could not locate its manifest")]
    public static partial void ManifestNotLocated(ILogger logger, Exception exception, string dataset);

    /// <remarks>The machine path goes to the log only; the caller learns the bucket and key.</remarks>
    [LoggerMessage(EventId = 124, Level = LogLevel.Information, Message = "Manifest s3://{Bucket}/{Key} refused ({Status}): {Path}")]
    public static partial void ManifestNotReadable(ILogger logger, string bucket, string key, SourceRefStatus status, string? path);
}
