using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rekognition.Core.Services.Copying;
using Rekognition.Core.Services.Datasets;
using Rekognition.Core.Services.Hosting;
using Rekognition.Core.Services.Jobs;
using Rekognition.Core.Services.Training;

namespace Rekognition.Core;

/// <summary>This host among several: its id, the job runner with the handlers of each kind of job, and the serving poll.</summary>
internal static class RekognitionJobServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<HostIdentity>();
        services.TryAddSingleton<JobQueue>();
        services.TryAddSingleton<JobRunner>();
        services.TryAddSingleton<ServingSync>();
        services.TryAddSingleton<CatalogChangeListener>();
        services.TryAddSingleton<CopyJobTakeover>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, DatasetService>(sp => sp.GetRequiredService<DatasetService>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, TrainingService>(sp => sp.GetRequiredService<TrainingService>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, CopyJobTakeover>(sp => sp.GetRequiredService<CopyJobTakeover>()));
    }
}
