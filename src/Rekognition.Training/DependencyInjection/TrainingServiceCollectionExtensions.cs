using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Rekognition.Imaging.Decoding;
using Rekognition.Onnx.DependencyInjection;
using Microsoft.Extensions.Options;
using Rekognition.Core;
using Rekognition.Core.Training;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.DependencyInjection;

/// <summary>Registers the ONNX Runtime training engine with a host's dependency injection.</summary>
public static class TrainingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ModelTrainer"/> (classifiers and detectors) as the <see cref="IModelTrainer"/>
    /// CreateProjectVersion trains with (unless another is registered), with the given options or the automatic
    /// defaults, decoding images with the <see cref="IImageDecoder"/> serving uses (see
    /// <see cref="OnnxServiceCollectionExtensions.AddRekognitionImageDecoder"/>) and logging through the host's
    /// <see cref="ILogger{TCategoryName}"/>. The backbone comes from the job (the store's <c>Rekognition:Training:Backbone</c>, or the C# call's choice).
    /// </summary>
    public static IServiceCollection AddRekognitionTraining(this IServiceCollection services, ImageClassifierTrainerOptions? options = null,
        ObjectDetectorTrainerOptions? detectorOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        // The decoder serving uses (Rekognition:Onnx:ImageDecoder), so a model sees the same pixels in training and in use.
        services.AddRekognitionImageDecoder();

        // A store that names its own backbone (or none) never trains on the default one, so its files are not required then.
        services.TryAddSingleton<IModelTrainer>(sp => new ModelTrainer(options, detectorOptions, null,
            sp.GetRequiredService<IImageDecoder>(), sp.GetService<ILogger<ModelTrainer>>(),
            defaultBackboneExpected: sp.GetService<IOptions<RekognitionOptions>>()?.Value.Training.Backbone is null));
        return services;
    }
}
