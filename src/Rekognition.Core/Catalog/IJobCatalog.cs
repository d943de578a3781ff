namespace Rekognition.Core.Catalog;

/// <summary>
/// Durable jobs: the long operations (imports, updates, distributions, dataset copies, trainings, version copies) kept
/// in the catalog so that any host with the job's role can run them. A host claims a job under a lease it renews; a job
/// whose lease lapses (its host died) is claimable again, so another host takes it over within one lease. A job is
/// deleted when it ends; its outcome is the status of its dataset or version.
/// </summary>
/// <remarks>
/// Providers implement every claim as one transaction that checks the lease it replaces (SQLite: a write transaction;
/// PostgreSQL: <c>SELECT ... FOR UPDATE SKIP LOCKED</c>), so two hosts racing for one job never both get it.
/// </remarks>
public interface IJobCatalog
{
    /// <summary>
    /// Adds a job inside <paramref name="transaction"/> (with the status change that announces the operation, so that a
    /// job exists exactly when its resource reads in progress); returns its id. Claimable at once, or, with
    /// <paramref name="ownerHostId"/>, held by that host from the start until <paramref name="leaseUntilMs"/> (work only
    /// that host can do; another host taking it over after the lease lapses can only record that it failed).
    /// </summary>
    long Enqueue(ICatalogTransaction? transaction, JobKind kind, string resourceArn, string payload, long nowMs, string? ownerHostId = null, long leaseUntilMs = 0);

    /// <summary>
    /// Claims the oldest job of one of <paramref name="kinds"/> that nobody holds (never claimed, or its lease lapsed
    /// before <paramref name="nowMs"/>) for <paramref name="hostId"/> until <paramref name="leaseUntilMs"/>; null when
    /// there is none. The claim counts one more attempt.
    /// </summary>
    JobRecord? TryClaim(IReadOnlyCollection<JobKind> kinds, string hostId, long nowMs, long leaseUntilMs);

    /// <summary>
    /// Extends to <paramref name="leaseUntilMs"/> the lease of every job <paramref name="hostId"/> holds and returns the
    /// ids it still holds (a job missing from them was taken over after its lease lapsed, or ended).
    /// </summary>
    IReadOnlyCollection<long> Renew(string hostId, long leaseUntilMs);

    /// <summary>
    /// Deletes a job that <paramref name="hostId"/> holds, inside <paramref name="transaction"/> (with the status change
    /// that records its outcome); false when the host no longer holds it (taken over), and then nothing is deleted.
    /// </summary>
    bool Complete(ICatalogTransaction? transaction, long jobId, string hostId);

    /// <summary>
    /// Records a request to stop the jobs of <paramref name="kind"/> on <paramref name="resourceArn"/>, for whichever host
    /// holds them (it sees the request at its next lease renewal, <see cref="CancelRequested"/>); false when there is none.
    /// </summary>
    bool RequestCancel(JobKind kind, string resourceArn);

    /// <summary>
    /// Deletes, inside <paramref name="transaction"/>, the jobs of <paramref name="kind"/> on <paramref name="resourceArn"/>
    /// that no host holds (queued, or given back); false when there is none (a host claimed it first, or it ended).
    /// </summary>
    bool RemoveUnclaimed(ICatalogTransaction? transaction, JobKind kind, string resourceArn);

    /// <summary>The ids of the jobs <paramref name="hostId"/> holds whose stop was requested (<see cref="RequestCancel"/>).</summary>
    IReadOnlyCollection<long> CancelRequested(string hostId);

    /// <summary>Gives a job <paramref name="hostId"/> holds back to the queue, claimable at once (a host stopping cleanly).</summary>
    void Release(long jobId, string hostId);

    /// <summary>Whether a job of <paramref name="kinds"/> is claimable at <paramref name="nowMs"/> (queued, or its lease lapsed).</summary>
    bool AnyClaimable(IReadOnlyCollection<JobKind> kinds, long nowMs);

    /// <summary>
    /// The earliest <see cref="JobRecord.LeaseUntilMs"/>, at or after <paramref name="sinceMs"/>, of the jobs of
    /// <paramref name="kinds"/> that hosts other than <paramref name="hostId"/> hold (or held until it lapsed); null when
    /// there is none. An idle host wakes just after it, so a job whose host died is taken over when its lease lapses, not
    /// at the next poll.
    /// </summary>
    long? NextLeaseLapse(IReadOnlyCollection<JobKind> kinds, string hostId, long sinceMs);

    /// <summary>The jobs of a resource (a dataset or version ARN), oldest first.</summary>
    IReadOnlyList<JobRecord> ForResource(string resourceArn);
}

/// <summary>What a job does; each kind is run by hosts of one role (<see cref="JobKinds.Role"/>).</summary>
public enum JobKind
{
    /// <summary>A dataset created from a manifest (role <c>import</c>).</summary>
    Import,

    /// <summary>UpdateDatasetEntries (role <c>import</c>).</summary>
    Update,

    /// <summary>DistributeDatasetEntries (role <c>import</c>).</summary>
    Distribute,

    /// <summary>A dataset created as a copy of another (role <c>import</c>).</summary>
    CopyDataset,

    /// <summary>CreateProjectVersion's training and evaluation (role <c>train</c>).</summary>
    Train,

    /// <summary>CopyProjectVersion (role <c>import</c>: it moves data, it trains nothing).</summary>
    CopyVersion,
}

/// <summary>A job row.</summary>
/// <param name="Id">The catalog's id of the job.</param>
/// <param name="Kind">What it does.</param>
/// <param name="ResourceArn">The dataset or version it works on.</param>
/// <param name="Payload">What the job needs besides the resource (JSON, written by the service that queued it).</param>
/// <param name="Owner">The host holding it; null while queued.</param>
/// <param name="LeaseUntilMs">When the owner's lease lapses (Unix milliseconds); 0 while queued.</param>
/// <param name="Attempts">How many times it was claimed (more than 1: a host died running it).</param>
/// <param name="CreatedMs">When it was queued.</param>
public sealed record JobRecord(long Id, JobKind Kind, string ResourceArn, string Payload, string? Owner, long LeaseUntilMs, int Attempts, long CreatedMs);

/// <summary>The host roles and the kinds of job each runs.</summary>
public static class JobKinds
{
    /// <summary>The role whose hosts run jobs of <paramref name="kind"/>.</summary>
    public static string Role(JobKind kind) => kind == JobKind.Train ? HostRoles.Train : HostRoles.Import;

    /// <summary>The kinds of job a host with <paramref name="roles"/> runs.</summary>
    public static JobKind[] For(IEnumerable<string> roles)
    {
        var set = new HashSet<string>(roles, StringComparer.OrdinalIgnoreCase);
        return Enum.GetValues<JobKind>().Where(k => set.Contains(Role(k))).ToArray();
    }
}
