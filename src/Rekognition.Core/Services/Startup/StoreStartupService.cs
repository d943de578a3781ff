using Microsoft.Extensions.Hosting;

namespace Rekognition.Core.Services.Startup;

/// <summary>
/// Opens the store when the host starts (after the options were validated), so that migrations, interrupted work
/// and resumed trainings do not wait for the first request.
/// </summary>
internal sealed class StoreStartupService(StoreStartup startup) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => startup.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
