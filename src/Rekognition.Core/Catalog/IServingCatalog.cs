namespace Rekognition.Core.Catalog;

/// <summary>
/// Which hosts serve which running model versions: each serving host registers the versions it has loaded under a
/// lease it renews, so that a version whose every host died can be told apart from one still served somewhere.
/// </summary>
public interface IServingCatalog
{
    /// <summary>Records that <paramref name="hostId"/> serves version <paramref name="versionId"/> until <paramref name="leaseUntilMs"/>.</summary>
    void Register(long versionId, string hostId, long leaseUntilMs);

    /// <summary>Removes <paramref name="hostId"/>'s registration for <paramref name="versionId"/>.</summary>
    void Unregister(long versionId, string hostId);

    /// <summary>Extends every registration of <paramref name="hostId"/> to <paramref name="leaseUntilMs"/>.</summary>
    void Renew(string hostId, long leaseUntilMs);

    /// <summary>How many hosts serve <paramref name="versionId"/> under a lease that has not lapsed at <paramref name="nowMs"/>.</summary>
    int CountServing(long versionId, long nowMs);

    /// <summary>
    /// The versions every host should serve now (STARTING or RUNNING) with their status, for hosts polling for starts
    /// and stops.
    /// </summary>
    IReadOnlyList<ServedVersion> Wanted();

    /// <summary>
    /// Asks every host but <paramref name="exceptHostId"/> that serves <paramref name="versionId"/> to report once it has
    /// read the aliases again and has no request left on it through an alias (<see cref="ReportDrained"/>): a promotion
    /// that moved an alias away from the version, before it stops it (schema 9). Returns how many hosts were asked.
    /// </summary>
    int RequestDrain(long versionId, string exceptHostId);

    /// <summary>The versions <paramref name="hostId"/> was asked to drain (<see cref="RequestDrain"/>) and has not reported on yet.</summary>
    IReadOnlyList<long> DrainRequested(string hostId);

    /// <summary>Records that <paramref name="hostId"/> serves no request through an alias on <paramref name="versionId"/> any more.</summary>
    void ReportDrained(long versionId, string hostId);

    /// <summary>How many hosts asked to drain <paramref name="versionId"/> have not reported yet, among those whose lease has not lapsed at <paramref name="nowMs"/>.</summary>
    int CountDraining(long versionId, long nowMs);
}

/// <summary>A version that serving hosts should have loaded.</summary>
/// <param name="VersionId">The catalog's id of the version.</param>
/// <param name="Arn">Its ARN.</param>
/// <param name="Status">STARTING or RUNNING.</param>
/// <param name="MinUnits">The inference units each host starts with.</param>
/// <param name="MaxUnits">The most each host may grow to.</param>
public sealed record ServedVersion(long VersionId, string Arn, string Status, int MinUnits, int MaxUnits);
