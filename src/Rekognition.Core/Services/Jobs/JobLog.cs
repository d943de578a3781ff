using Microsoft.Extensions.Logging;
using Rekognition.Core.Catalog;

namespace Rekognition.Core.Services.Jobs;

/// <summary>The job runner's log lines (event ids 100-109).</summary>
internal static partial class JobLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Host {Host} claimed job {Job} ({Kind} {Resource})")]
    public static partial void Claimed(ILogger logger, string host, long job, JobKind kind, string resource);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "Host {Host} took over job {Job} ({Kind} {Resource}), attempt {Attempt}: the host that held it stopped renewing its lease")]
    public static partial void TookOver(ILogger logger, string host, long job, JobKind kind, string resource, int attempt);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Host {Host} stops job {Job}: its stop was requested (CancelTraining)")]
    public static partial void StopRequested(ILogger logger, string host, long job);
}
