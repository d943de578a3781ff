using Rekognition.Core.Catalog;

namespace Rekognition.Core.Services.Jobs;

/// <summary>
/// Queues jobs in the catalog and wakes this host's <see cref="JobRunner"/>, so a job this host can run starts at once
/// rather than at the next poll; other hosts find it when they poll.
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
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _wake.Dispose();
}
