using Rekognition.Core.Models;
using Rekognition.Core.Training;

namespace Rekognition.Training.Trainers;

/// <summary>
/// The training engine's entry point: detection jobs go to <see cref="ObjectDetectorTrainer"/>, classification
/// jobs to <see cref="ImageClassifierTrainer"/> (which hands jobs naming a backbone to transfer learning).
/// </summary>
public sealed class ModelTrainer : IModelTrainer
{
    private readonly ImageClassifierTrainer _classifiers;
    private readonly ObjectDetectorTrainer _detectors;

    /// <summary>Creates the engine with each trainer's options (or their automatic defaults).</summary>
    public ModelTrainer(ImageClassifierTrainerOptions? classifiers = null, ObjectDetectorTrainerOptions? detectors = null)
    {
        _classifiers = new ImageClassifierTrainer(classifiers);
        _detectors = new ObjectDetectorTrainer(detectors);
    }

    /// <inheritdoc />
    public Task<ModelPackage> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Kind == ModelKind.Detection
            ? _detectors.TrainAsync(job, progress, cancellationToken)
            : _classifiers.TrainAsync(job, progress, cancellationToken);
    }
}
