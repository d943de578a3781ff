using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Rekognition.Core;
using Rekognition.Core.Feedback;
using Rekognition.Core.GeneralModels;
using Rekognition.Core.Labeling;
using Rekognition.Core.Models;
using Rekognition.Core.Promotion;
using Rekognition.Core.Services;
using Rekognition.Core.Services.Startup;
using Rekognition.Core.Training;
using Rekognition.Core.Video;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the local Custom Labels service with a host's dependency injection.</summary>
public static class RekognitionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IAmazonRekognition"/> (a singleton <see cref="RekognitionCustomLabelsClient"/>), the extras
    /// clients (<see cref="IFeedbackClient"/>, <see cref="IModelAliasClient"/>, <see cref="ILabelingClient"/>,
    /// <see cref="IGeneralModelClient"/>, <see cref="IVideoLabelClient"/>, <see cref="IModelTransferClient"/>,
    /// <see cref="ITrainingControlClient"/>), the <see cref="RekognitionOptions"/> configured by <paramref name="configure"/>
    /// and checked when the host starts, and a hosted service that opens the store when the host starts (migrations,
    /// interrupted work marked or resumed).
    /// </summary>
    public static IServiceCollection AddRekognitionCustomLabels(this IServiceCollection services, Action<RekognitionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RekognitionOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        RekognitionCoreServices.Add(services);
        services.TryAddSingleton(sp => new RekognitionCustomLabelsClient(sp.GetRequiredService<ClientServices>()));
        services.TryAddSingleton<IAmazonRekognition>(sp => sp.GetRequiredService<RekognitionCustomLabelsClient>());
        services.TryAddSingleton<IFeedbackClient, FeedbackClient>();
        services.TryAddSingleton<IModelAliasClient, ModelAliasClient>();
        services.TryAddSingleton<ILabelingClient, LabelingClient>();
        services.TryAddSingleton<IGeneralModelClient, GeneralModelClient>();
        services.TryAddSingleton<IVideoLabelClient, VideoLabelClient>();
        services.TryAddSingleton<IModelTransferClient, ModelTransferClient>();
        services.TryAddSingleton<ITrainingControlClient, TrainingControlClient>();
        services.TryAddSingleton<Rekognition.Core.Editing.StoredThumbnails>();
        services.TryAddSingleton<Rekognition.Core.Editing.IDatasetEditorClient, Rekognition.Core.Editing.DatasetEditorClient>();
        services.TryAddSingleton<Rekognition.Core.QuickTest.IQuickTestClient, Rekognition.Core.QuickTest.QuickTestClient>();
        services.TryAddSingleton<Rekognition.Core.EvaluationViews.IEvaluationViewClient, Rekognition.Core.EvaluationViews.EvaluationViewClient>();
        services.TryAddSingleton<Rekognition.Core.Billing.IBillingClient, Rekognition.Core.Billing.BillingClient>();
        Rekognition.Core.Retraining.RetrainingServices.Add(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StoreStartupService>());
        return services;
    }

    /// <summary>
    /// As <see cref="AddRekognitionCustomLabels(IServiceCollection, Action{RekognitionOptions})"/>, with the
    /// options bound from <paramref name="configuration"/>'s <c>Rekognition</c> section first.
    /// </summary>
    public static IServiceCollection AddRekognitionCustomLabels(this IServiceCollection services, IConfiguration configuration, Action<RekognitionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RekognitionOptions>().Bind(configuration.GetSection(RekognitionOptions.SectionName));
        return services.AddRekognitionCustomLabels(configure);
    }
}
