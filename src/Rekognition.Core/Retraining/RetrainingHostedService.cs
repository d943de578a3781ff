using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rekognition.Core.Catalog;
using Rekognition.Core.Services;

namespace Rekognition.Core.Retraining;

/// <summary>
/// Checks every active retraining policy each <see cref="RekognitionHostOptions.RetrainingCheckInterval"/> on a host
/// with the <c>train</c> role. Several hosts may check at once: the catalog's claims let one of them act.
/// </summary>
/// <remarks>
/// The runner is resolved at the first check, not when the host builds its hosted services: it needs the client, whose
/// construction waits for the store to have started, and the store's start is itself a hosted service's (awaited, never
/// blocked on).
/// </remarks>
internal sealed class RetrainingHostedService(
    RekognitionOptions options, IRetrainingCatalog retraining, IProjectCatalog projects, IServiceProvider services, StoreClock clock, ILogger<RetrainingHostedService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Host.Has(HostRoles.Train))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Host.RetrainingCheckInterval, clock.Time, stoppingToken).ConfigureAwait(false);
                await CheckAllAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                RetrainingLog.CheckFailed(logger, ex);
            }
        }
    }

    private async Task CheckAllAsync(CancellationToken ct)
    {
        var runner = services.GetRequiredService<RetrainingRunner>();
        foreach (var id in retraining.ActiveProjects())
        {
            if (projects.FindById(id) is { } project)
            {
                var outcome = await runner.CheckAsync(project, ct).ConfigureAwait(false);
                RetrainingLog.Checked(logger, project.Name, outcome);
            }
        }
    }
}
