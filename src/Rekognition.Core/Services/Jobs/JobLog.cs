using Microsoft.Extensions.Logging;
using Rekognition.Core.Catalog;

namespace Rekognition.Core.Services.Jobs;

/// <summary>The job runner's log lines (event ids 100-109, and 190 for its change listener).</summary>
internal static partial class JobLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Host {Host} claimed job {Job} ({Kind} {Resource})")]
    public static partial void Claimed(ILogger logger, string host, long job, JobKind kind, string resource);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "Host {Host} took over job {Job} ({Kind} {Resource}), attempt {Attempt}: the host that held it stopped renewing its lease")]
    public static partial void TookOver(ILogger logger, string host, long job, JobKind kind, string resource, int attempt);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Job {Job} ({Name}) failed")]
    public static partial void Failed(ILogger logger, Exception error, long job, string name);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Job {Job} ({Name}) ended on host {Host} after another host took it over")]
    public static partial void EndedAfterTakeover(ILogger logger, long job, string name, string host);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error,
        Message = "Job {Job} ({Name}) ended but could not be removed; its lease will lapse and another host will find it finished")]
    public static partial void NotRemoved(ILogger logger, Exception error, long job, string name);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Job {Job} ({Name}) failed and its failure could not be recorded; it goes back to the queue")]
    public static partial void FailureNotRecorded(ILogger logger, Exception error, long job, string name);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Host {Host} could not claim jobs")]
    public static partial void ClaimFailed(ILogger logger, Exception error, string host);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Host {Host} lost job {Job} to another host (its lease lapsed); stopping it here")]
    public static partial void Lost(ILogger logger, string host, long job);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "Host {Host} could not renew its job leases")]
    public static partial void RenewFailed(ILogger logger, Exception error, string host);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "Host {Host} stops job {Job}: its stop was requested (CancelTraining)")]
    public static partial void StopRequested(ILogger logger, string host, long job);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning,
        Message = "Host {Host} claimed back job {Job}, whose lease lapsed while it ran here (a late renewal); the run goes on")]
    public static partial void ClaimedBackWhileRunning(ILogger logger, string host, long job);

    [LoggerMessage(EventId = 190, Level = LogLevel.Warning, Message = "Host {Host} stopped listening for catalog changes; it learns of them by polling")]
    public static partial void StoppedListening(ILogger logger, Exception error, string host);
}
