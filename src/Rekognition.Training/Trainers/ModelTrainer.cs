using Microsoft.Extensions.Logging;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Imaging.Decoding;
using Rekognition.Training.Backbones;

namespace Rekognition.Training.Trainers;

/// <summary>
/// The training engine's entry point: detection jobs go to <see cref="ObjectDetectorTrainer"/>, classification
/// jobs to <see cref="ImageClassifierTrainer"/> (which hands jobs naming a backbone to transfer learning). A classification job
/// without a backbone trains on the <see cref="DefaultBackbone"/> (ImageNet ResNet18), a detection job without one the built-in
/// detector; one with <see cref="TrainingJob.NoBackbone"/> the built-in networks from scratch.
/// </summary>
internal sealed class ModelTrainer : IModelTrainer
{
    private readonly ImageClassifierTrainer _classifiers;
    private readonly ImageClassifierTrainer _defaultBackboneClassifiers;
    private readonly ObjectDetectorTrainer _detectors;
    private readonly string? _defaultBackboneDirectory;
    private string? _defaultBackbone;

    /// <summary>
    /// Creates the engine with each trainer's options (or their automatic defaults). The default backbone's files are
    /// looked for in <paramref name="defaultBackboneDirectory"/> (the app's folder when null) now, at start-up, unless
    /// <paramref name="defaultBackboneExpected"/> is false (the store names its own backbone, or <c>none</c>): then only
    /// when a job asks for it. Every trainer decodes images with <paramref name="decoder"/>
    /// (<see cref="ImageDecoderFactory.Default"/>'s when null; <c>AddRekognitionTraining</c> gives the one serving uses)
    /// and logs to <paramref name="logger"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The default backbone's package files are missing (the message names the package).</exception>
    public ModelTrainer(ImageClassifierTrainerOptions? classifiers = null, ObjectDetectorTrainerOptions? detectors = null, string? defaultBackboneDirectory = null,
        IImageDecoder? decoder = null, ILogger<ModelTrainer>? logger = null, bool defaultBackboneExpected = true)
    {
        decoder ??= ImageDecoderFactory.Default.Decoder;
        _classifiers = new ImageClassifierTrainer(classifiers, decoder, logger);
        var options = classifiers ?? new ImageClassifierTrainerOptions();
        _defaultBackboneClassifiers = new ImageClassifierTrainer(options with { Transfer = options.Transfer ?? DefaultBackbone.Transfer }, decoder, logger);
        _detectors = new ObjectDetectorTrainer(detectors, decoder, logger);
        _defaultBackboneDirectory = defaultBackboneDirectory;
        if (defaultBackboneExpected)
        {
            _defaultBackbone = DefaultBackbone.Require(defaultBackboneDirectory);
        }
    }

    /// <inheritdoc />
    public Task<ModelPackage> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        // A detection job without a backbone trains the built-in detector (or the options' feature backbone), never the classifier default.
        var onDefault = job.Backbone is null && job.Kind != ModelKind.Detection;
        var resolved = onDefault ? job with { Backbone = _defaultBackbone ??= DefaultBackbone.Require(_defaultBackboneDirectory) } : job;
        return job.Kind == ModelKind.Detection
            ? _detectors.TrainAsync(resolved, progress, cancellationToken)
            : (onDefault ? _defaultBackboneClassifiers : _classifiers).TrainAsync(resolved, progress, cancellationToken);
    }
}
