using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rekognition.Core.Catalog;
using Rekognition.Core.Inference;
using Rekognition.Core.Promotion;
using Rekognition.Core.Requests;
using Rekognition.Core.Services;
using Rekognition.Core.Services.Copying;
using Rekognition.Core.Services.Datasets;
using Rekognition.Core.Services.Hosting;
using Rekognition.Core.Services.Policies;
using Rekognition.Core.Services.Projects;
using Rekognition.Core.Services.Startup;
using Rekognition.Core.Services.Tags;
using Rekognition.Core.Services.Training;
using Rekognition.Core.Services.Versions;
using Rekognition.Core.Storage;

namespace Rekognition.Core;

/// <summary>
/// The internal object graph behind <see cref="RekognitionCustomLabelsClient"/>: the catalog and its stores, the
/// services each operation calls, and the store's start-up. One set of registrations for both ways of making a client:
/// AddRekognitionCustomLabels, and the public constructor (which builds a private container from them).
/// </summary>
internal static class RekognitionCoreServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RekognitionOptions>, RekognitionOptionsValidator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<RekognitionOptions>>().Value);
        services.TryAddSingleton<StoreClock>();
        services.TryAddSingleton<CallerMessages>();

        // The catalog provider and the object store, each one registration: a PostgreSQL catalog (or an S3 object
        // store) replaces the ICatalog (or IObjectStore) line and nothing else; the areas below are views of it.
        services.TryAddSingleton<ICatalog>(sp => CatalogSelection.Open(Options(sp), sp.GetServices<ICatalogProvider>())); // migrated when made
        services.TryAddSingleton(StorageProviderChoice.Artifacts);
        services.TryAddSingleton(StorageProviderChoice.LocalFiles);
        services.TryAddSingleton(sp => new Store(Options(sp).StoreRoot, sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<ICatalog>(), sp.GetRequiredService<LocalFileCache>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<ICatalog>().Projects);
        services.TryAddSingleton(sp => sp.GetRequiredService<ICatalog>().Datasets);
        services.TryAddSingleton(sp => sp.GetRequiredService<ICatalog>().Entries);
        services.TryAddSingleton(sp => sp.GetRequiredService<ICatalog>().Tags);
        services.TryAddSingleton(sp => sp.GetRequiredService<ICatalog>().Policies);
        services.TryAddSingleton(sp => sp.GetRequiredService<ICatalog>().Versions);
        services.TryAddSingleton(sp => sp.GetRequiredService<ICatalog>().Aliases);
        services.TryAddSingleton(sp => sp.GetRequiredService<ICatalog>().Billing);
        services.TryAddSingleton(StorageProviderChoice.Buckets);
        services.TryAddSingleton(StorageProviderChoice.Resolver);
        services.TryAddSingleton(sp => new PaginationKeySource(sp.GetRequiredService<Store>().Objects));
        services.TryAddSingleton(sp => new PaginationToken(sp.GetRequiredService<PaginationKeySource>()));

        // The work this process runs.
        services.TryAddSingleton<BackgroundOperations>();
        services.TryAddSingleton<RunningModels>();
        services.TryAddSingleton<Trainings>();
        RekognitionJobServices.Add(services);

        // The services the client's operations call.
        services.TryAddSingleton<ResourceLookup>();
        services.TryAddSingleton<ManifestLocator>();
        services.TryAddSingleton<DetectionImageReader>();
        services.TryAddSingleton<ProjectService>();
        services.TryAddSingleton<DatasetService>();
        services.TryAddSingleton<TagService>();
        services.TryAddSingleton<PolicyService>();
        services.TryAddSingleton<VersionService>();
        services.TryAddSingleton(sp => new QuickTest.QuickTestSessions(sp.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IVersionDeletionObserver, QuickTest.QuickTestSessions>(sp => sp.GetRequiredService<QuickTest.QuickTestSessions>()));
        services.TryAddSingleton<HostingService>();
        services.TryAddSingleton<CopyService>();
        services.TryAddSingleton<TrainingLocations>();
        services.TryAddSingleton<TrainingManifests>();
        services.TryAddSingleton<EvaluationFiles>();
        services.TryAddSingleton<TrainingRun>();
        services.TryAddSingleton<TrainingService>();
        services.TryAddSingleton<StoreStartup>();
        services.TryAddSingleton<ClientServices>();
    }

    /// <summary>The private container of a client made with its public constructor, from what the caller passed.</summary>
    public static ServiceProvider BuildDefault(
        IOptions<RekognitionOptions> options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, IModelRuntime? runtime, Training.IModelTrainer? trainer)
    {
        var services = new ServiceCollection();
        services.AddSingleton(options);
        if (loggerFactory is not null)
        {
            services.AddSingleton(loggerFactory);
        }

        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        if (runtime is not null)
        {
            services.AddSingleton(runtime);
        }

        if (trainer is not null)
        {
            services.AddSingleton(trainer);
        }

        Add(services);
        return services.BuildServiceProvider();
    }

    private static RekognitionOptions Options(IServiceProvider services) => services.GetRequiredService<RekognitionOptions>();
}
