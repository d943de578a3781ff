using Microsoft.Extensions.Logging;
using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Core.Services.Hosting;

/// <summary>The hosting service's log lines: models loaded and unloaded by a host, images refused (event ids 160-169).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 160, Level = LogLevel.Error, Message = "Host {Host} could not load model {Arn}")]
    public static partial void LoadFailed(ILogger logger, Exception exception, string host, string arn);

    [LoggerMessage(EventId = 161, Level = LogLevel.Warning, Message = "Host {Host} could not bring its models in line with the catalog")]
    public static partial void SyncFailed(ILogger logger, Exception exception, string host);

    [LoggerMessage(EventId = 162, Level = LogLevel.Warning, Message = "Host {Host} could not unregister model {Arn}; its lease will lapse")]
    public static partial void UnregisterFailed(ILogger logger, Exception exception, string host, string arn);

    /// <remarks>The caller learns the bucket and key; what the open said goes to the log.</remarks>
    [LoggerMessage(EventId = 163, Level = LogLevel.Information, Message = "Image s3://{Bucket}/{Key} refused ({Failure})")]
    public static partial void ImageRefused(ILogger logger, string bucket, string key, ConfinedOpenFailure failure);
}
