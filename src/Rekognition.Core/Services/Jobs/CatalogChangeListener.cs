using Microsoft.Extensions.Logging;
using Rekognition.Core.Catalog;
using Rekognition.Core.Services.Hosting;

namespace Rekognition.Core.Services.Jobs;

/// <summary>
/// Wakes this host's <see cref="ServingSync"/> and <see cref="JobRunner"/> when the catalog reports a change another host
/// committed (<see cref="ICatalogChangeFeed"/>), so a started model is loaded and a queued job claimed at once instead of
/// at the next poll; an alias change makes the next alias request read the aliases again. Does nothing on a catalog without a feed (SQLite) or with <see cref="RekognitionHostOptions.ListenForChanges"/> off.
/// </summary>
internal sealed class CatalogChangeListener(
    RekognitionOptions options, HostIdentity identity, ICatalog catalog, ServingSync serving, JobQueue jobs, ILogger<CatalogChangeListener> logger)
    : IAsyncDisposable, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private Task? _listening;

    /// <summary>Whether this host listens (a feed, and the option on).</summary>
    public bool Listens => options.Host.ListenForChanges && catalog is ICatalogChangeFeed;

    /// <summary>Starts listening; a second call does nothing.</summary>
    public void Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            if (_listening is null && Listens)
            {
                _listening = Task.Run(ListenAsync);
            }
        }
    }

    private async Task ListenAsync()
    {
        try
        {
            await ((ICatalogChangeFeed)catalog).ListenAsync(Wake, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A feed is not to throw; if one does, this host goes on polling rather than failing.
            JobLog.StoppedListening(logger, ex, identity.Id);
        }
    }

    private void Wake(CatalogChange change)
    {
        switch (change)
        {
            case CatalogChange.Serving:
                serving.Wake();
                break;
            case CatalogChange.Aliases:
                catalog.Aliases.MarkStale(); // read again by the next request, not here: the feed waits for no query
                break;
            default:
                jobs.Wake();
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task listening;
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            listening = _listening ?? Task.CompletedTask;
        }

        await listening.ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>As <see cref="DisposeAsync"/>, for containers disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
