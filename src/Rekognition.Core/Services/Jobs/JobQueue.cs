using Rekognition.Core.Catalog;

namespace Rekognition.Core.Services.Jobs;

/// <summary>
/// Queues jobs in the catalog and wakes this host's <see cref="JobRunner"/>, so a job this host can run starts at once
/// rather than at the next poll; other hosts find it when they poll (or are notified). Between two looks the runner
/// sleeps here until woken, the next poll, or the moment the earliest lease it could take over lapses.
/// </summary>
internal sealed class JobQueue(ICatalog catalog, StoreClock clock) : IDisposable
{
    private readonly WakeSignal _wake = new();

    /// <summary>Adds a job inside <paramref name="transaction"/>; call <see cref="Wake"/> once it is committed.</summary>
    public long Enqueue<T>(ICatalogTransaction transaction, JobKind kind, string resourceArn, T payload) =>
        catalog.Jobs.Enqueue(transaction, kind, resourceArn, JobPayloadJsonContext.Write(payload), clock.NowMs());

    /// <summary>Wakes the runner to look for jobs now.</summary>
    public void Wake() => _wake.Wake();

    /// <summary>Waits until <see cref="Wake"/> or <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, clock.Time, cancellationToken);

    /// <summary>
    /// The claim loop's sleep: until <see cref="Wake"/>, <paramref name="poll"/>, or just after the earliest lease of a job
    /// of <paramref name="kinds"/> held by another host lapses (a host that died is taken over then, not at the next
    /// poll), whichever comes first. One small query, skipped when <paramref name="canClaim"/> is false (this host runs
    /// all it may; the end of a run wakes it). A host's leases last longer than its peers' polls, so every lease is read
    /// at least once before it lapses.
    /// </summary>
    public Task WaitForClaimableAsync(IReadOnlyCollection<JobKind> kinds, string hostId, TimeSpan poll, bool canClaim, CancellationToken cancellationToken)
    {
        var now = clock.NowMs();
        // Leases that lapsed a moment ago count too: the claim just before this looked at an earlier now, so a lease that
        // lapsed in between is claimable yet was not claimed.
        var lapse = canClaim ? catalog.Jobs.NextLeaseLapse(kinds, hostId, now - (long)JustLapsed.TotalMilliseconds) : null;
        return WaitAsync(Sleep(lapse, now, poll), cancellationToken);
    }

    /// <summary>How far back <see cref="WaitForClaimableAsync"/> looks for a lease that lapsed after the claim before it.</summary>
    internal static readonly TimeSpan JustLapsed = TimeSpan.FromSeconds(1);

    /// <summary>The pause before claiming a lease that has already lapsed (on a provider that locks rows, another host may be claiming it).</summary>
    internal static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(10);

    /// <summary>How long to sleep at <paramref name="nowMs"/>: <paramref name="poll"/>, or less when a lease lapses sooner (or has just lapsed).</summary>
    internal static TimeSpan Sleep(long? nextLeaseLapseMs, long nowMs, TimeSpan poll)
    {
        if (nextLeaseLapseMs is not { } lapse)
        {
            return poll;
        }

        // A job is claimable once its lease_until_ms is before now: one millisecond after it.
        var untilClaimable = lapse >= nowMs ? TimeSpan.FromMilliseconds(lapse - nowMs + 1) : Recheck;
        return untilClaimable < poll ? untilClaimable : poll;
    }

    public void Dispose() => _wake.Dispose();
}
