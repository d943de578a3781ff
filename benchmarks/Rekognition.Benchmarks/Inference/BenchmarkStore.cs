using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core;
using Rekognition.Core.Inference;
using Rekognition.Core.Models;

namespace Rekognition.Benchmarks.Inference;

/// <summary>A store as an application registers it (AddRekognitionCustomLabels), with the client and the model import client.</summary>
internal sealed class BenchmarkStore : IDisposable
{
    private readonly ServiceProvider _services;

    public BenchmarkStore(string storeRoot, IModelRuntime runtime, Action<RekognitionOptions>? configure = null, Action<IServiceCollection>? addServices = null)
    {
        var services = new ServiceCollection().AddSingleton(runtime);
        addServices?.Invoke(services);
        _services = services
            .AddRekognitionCustomLabels(o =>
            {
                o.StoreRoot = storeRoot;
                configure?.Invoke(o);
            })
            .BuildServiceProvider();
        Client = _services.GetRequiredService<RekognitionCustomLabelsClient>();
        Models = _services.GetRequiredService<IModelTransferClient>();
    }

    public RekognitionCustomLabelsClient Client { get; }

    public IModelTransferClient Models { get; }

    public void Dispose() => _services.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
