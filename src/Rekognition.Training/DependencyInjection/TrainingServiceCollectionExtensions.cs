using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rekognition.Core.Training;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.DependencyInjection;

/// <summary>Registers the ONNX Runtime training engine with a host's dependency injection.</summary>
public static class TrainingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ModelTrainer"/> (classifiers and detectors) as the <see cref="IModelTrainer"/>
    /// CreateProjectVersion trains with (unless another is registered), with the given options or the automatic
    /// defaults. The backbone comes from the job (the store's <c>Rekognition:Training:Backbone</c>, or the C# call's choice).
    /// </summary>
    public static IServiceCollection AddRekognitionTraining(this IServiceCollection services, ImageClassifierTrainerOptions? options = null,
        ObjectDetectorTrainerOptions? detectorOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IModelTrainer>(_ => new ModelTrainer(options, detectorOptions));
        return services;
    }
}
