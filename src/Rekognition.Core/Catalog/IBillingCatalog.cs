namespace Rekognition.Core.Catalog;

/// <summary>
/// What the service bills for a model: the intervals each version ran, with the inference units it ran on (schema 6).
/// A version has at most one open interval; a start opens one, a stop closes it, a change of units closes it and opens
/// the next. Intervals are kept after their version is deleted.
/// </summary>
public interface IBillingCatalog
{
    /// <summary>
    /// The version runs on <paramref name="units"/> from <paramref name="atMs"/>: opens an interval, or closes the open
    /// one and opens another when its units differ. Nothing when the version is not RUNNING (a stop came first).
    /// </summary>
    void RecordRunning(long versionId, int units, long atMs);

    /// <summary>Closes the version's open interval at <paramref name="atMs"/>; nothing when none is open.</summary>
    void RecordStopped(long versionId, long atMs);

    /// <summary>
    /// Brings the intervals in line with the versions' statuses (after a crash between a status change and its record):
    /// an open interval of a version no longer RUNNING closes when its last host's lease ran out (at the latest
    /// <paramref name="nowMs"/>); a RUNNING version without one opens one at <paramref name="nowMs"/>. Returns the rows changed.
    /// </summary>
    int Reconcile(long nowMs);

    /// <summary>A version's intervals, oldest first.</summary>
    IReadOnlyList<BillingIntervalRecord> ListForVersion(long versionId);

    /// <summary>The intervals of every version of a project (deleted ones included), by version then oldest first.</summary>
    IReadOnlyList<BillingIntervalRecord> ListForProject(long projectId);
}

/// <summary>One interval a version ran on a number of inference units.</summary>
/// <param name="VersionId">The catalog's id of the version.</param>
/// <param name="VersionArn">Its ARN (kept when the version is deleted).</param>
/// <param name="Units">Inference units it ran on.</param>
/// <param name="StartMs">When it started running (Unix milliseconds).</param>
/// <param name="EndMs">When it stopped; null while it runs.</param>
public sealed record BillingIntervalRecord(long VersionId, string VersionArn, int Units, long StartMs, long? EndMs);
