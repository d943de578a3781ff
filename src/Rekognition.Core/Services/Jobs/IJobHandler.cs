using Rekognition.Core.Catalog;

namespace Rekognition.Core.Services.Jobs;

/// <summary>
/// Runs claimed jobs of some kinds. A job may be run again by another host after its first host died, so a handler
/// first checks that its resource still waits for it (and does nothing when it does not), and writes the outcome as
/// the resource's status; the runner deletes the job afterwards.
/// </summary>
internal interface IJobHandler
{
    /// <summary>The kinds this handler runs.</summary>
    IReadOnlyCollection<JobKind> Kinds { get; }

    /// <summary>Runs <paramref name="job"/>; <paramref name="cancellationToken"/> fires when the host stops or loses the job's lease.</summary>
    Task RunAsync(JobRecord job, CancellationToken cancellationToken);

    /// <summary>
    /// Records that <paramref name="job"/> failed because its run threw something the handler did not expect: the
    /// resource's status becomes the failed one (when it still reads in progress), so nothing waits for it forever.
    /// <paramref name="message"/> is for callers: it names no server path.
    /// </summary>
    void RecordFailure(JobRecord job, string message);
}
