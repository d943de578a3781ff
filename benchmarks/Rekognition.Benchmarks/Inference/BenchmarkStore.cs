using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
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

    /// <summary>Imports <paramref name="package"/> as a version of a new project, starts it on one unit and returns the version's ARN.</summary>
    public string ImportAndStart(ModelPackage package, string project = "bench", string version = "mobilenet")
    {
        var projectArn = Client.CreateProjectAsync(new CreateProjectRequest { ProjectName = project }).GetAwaiter().GetResult().ProjectArn;
        var versionArn = Models.ImportProjectVersionAsync(new ImportProjectVersionRequest
        {
            ProjectArn = projectArn, VersionName = version, ModelPath = package.ModelPath,
        }).GetAwaiter().GetResult().ProjectVersionArn;
        Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = versionArn, MinInferenceUnits = 1 }).GetAwaiter().GetResult();
        Client.WhenIdleAsync().GetAwaiter().GetResult();
        return versionArn!;
    }

    public void Dispose() => _services.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
