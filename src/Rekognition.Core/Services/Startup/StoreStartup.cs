using Microsoft.Extensions.Logging;
using Rekognition.Core.Catalog;
using Rekognition.Core.Requests;
using Rekognition.Core.Services.Hosting;
using Rekognition.Core.Services.Jobs;
using Rekognition.Core.Services.Training;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Services.Startup;

/// <summary>
/// Opens the store once per process: the catalog (its migrations run when it opens), the pagination key, the
/// buckets root, then what a schema-3 process left (in-progress work with no job: failed; versions no host serves:
/// stopped), then this host's job runner and serving poll (woken by the catalog's change feed where it has one), which take over jobs and models of hosts that died. The
/// hosted service runs it when the host starts; the client runs it too (a no-op by then), for programs without a host.
/// </summary>
internal sealed class StoreStartup(
    ICatalog catalog,
    PaginationKeySource paginationKey,
    IDatasetCatalog datasets,
    IVersionCatalog versions,
    StoreClock clock,
    SourceRefResolver resolver,
    JobRunner jobs,
    ServingSync serving,
    CatalogChangeListener changes,
    ILogger<StoreStartup> logger)
{
    private readonly Lock _lock = new();
    private bool _started;

    /// <summary>As <see cref="EnsureStarted"/>, with the store's first object read (the pagination key) awaited, not blocked on.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await paginationKey.LoadAsync(cancellationToken).ConfigureAwait(false);
        EnsureStarted();
    }

    /// <summary>Opens the store and recovers interrupted work, the first time only.</summary>
    public void EnsureStarted()
    {
        lock (_lock)
        {
            if (_started)
            {
                return;
            }

            // The catalog is migrated by its construction; the pagination key is read or made here (already, when the
            // host started the store; a client made without a host waits for it once, in its constructor). An
            // unreachable object store or a missing bucket fails here, with the provider's message.
            GC.KeepAlive(catalog);
            paginationKey.LoadAsync(CancellationToken.None).GetAwaiter().GetResult();
            resolver.Buckets.CreateRoot();
            Recover();
            jobs.Start();
            serving.Start();
            changes.Start();
            _started = true;
        }
    }

    private void Recover()
    {
        var recovered = datasets.RecoverInterrupted(clock.NowMs());
        if (recovered > 0)
        {
            StartupLog.DatasetOperationsRecovered(logger, recovered);
        }

        var interrupted = versions.RecoverTraining();
        if (interrupted > 0)
        {
            StartupLog.TrainingsRecovered(logger, interrupted);
        }

        var copies = versions.RecoverCopying();
        if (copies > 0)
        {
            StartupLog.CopiesRecovered(logger, copies);
        }

        var stopped = versions.RecoverHosting(clock.NowMs());
        if (stopped > 0)
        {
            StartupLog.HostingRecovered(logger, stopped);
        }

        catalog.Billing.Reconcile(clock.NowMs()); // closes the billing of what was stopped, at its last host's lease
    }
}
