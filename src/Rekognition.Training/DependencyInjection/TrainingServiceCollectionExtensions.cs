using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rekognition.Core;
using Rekognition.Imaging.Decoding;
using Rekognition.Core.Training;
using Rekognition.Training;
using Rekognition.Training.Trainers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ONNX Runtime training engine with a host's dependency injection.</summary>
public static class TrainingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ModelTrainer"/> (classifiers and detectors) as the <see cref="IModelTrainer"/>
    /// CreateProjectVersion trains with (unless another is registered), with <see cref="RekognitionTrainingOptions"/>
    /// configured by <paramref name="configure"/> (the automatic defaults otherwise), decoding images with the
    /// <see cref="IImageDecoder"/> serving uses (see <see cref="OnnxServiceCollectionExtensions.AddRekognitionImageDecoder"/>)
    /// and logging through the host's <see cref="ILogger{TCategoryName}"/>. The options are checked when the host starts.
    /// The backbone comes from the job (the store's <c>Rekognition:Training:Backbone</c>, or the C# call's choice).
    /// </summary>
    public static IServiceCollection AddRekognitionTraining(this IServiceCollection services, Action<RekognitionTrainingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RekognitionTrainingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddTrainer(services);
    }

    /// <summary>
    /// As <see cref="AddRekognitionTraining(IServiceCollection, Action{RekognitionTrainingOptions})"/>, with the options bound from
    /// <paramref name="configuration"/>'s <c>Rekognition:Training</c> section (<c>Classifier</c> and <c>Detector</c>), e.g.
    /// <c>Rekognition__Training__Classifier__Epochs=10</c>.
    /// </summary>
    public static IServiceCollection AddRekognitionTraining(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RekognitionTrainingOptions>().Bind(configuration.GetSection(RekognitionTrainingOptions.SectionName));
        return AddTrainer(services);
    }

    private static IServiceCollection AddTrainer(IServiceCollection services)
    {
        // Checked when the host starts (and on first use without a host), with messages naming the setting.
        services.AddOptions<RekognitionTrainingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RekognitionTrainingOptions>, RekognitionTrainingOptionsValidator>());

        // The decoder serving uses (Rekognition:Onnx:ImageDecoder), so a model sees the same pixels in training and in use.
        services.AddRekognitionImageDecoder();

        // A store that names its own backbone (or none) never trains on the default one, so its files are not required then.
        services.TryAddSingleton<IModelTrainer>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RekognitionTrainingOptions>>().Value;
            return new ModelTrainer(options.Classifier, options.Detector, null, sp.GetRequiredService<IImageDecoder>(), sp.GetService<ILogger<ModelTrainer>>(),
                defaultBackboneExpected: sp.GetService<IOptions<RekognitionOptions>>()?.Value.Training.Backbone is null);
        });
        return services;
    }
}
