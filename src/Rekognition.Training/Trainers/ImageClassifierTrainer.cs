using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Imaging.Decoding;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Backbones;
using Rekognition.Training.Checkpoints;
using Rekognition.Training.Data;
using Rekognition.Training.Export;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Optimizers;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Trainers;

/// <summary>Settings of <see cref="ImageClassifierTrainer"/>.</summary>
public sealed record ImageClassifierTrainerOptions
{
    /// <summary>Side of the square input the images are resized to.</summary>
    public int InputSize { get; init; } = 64;

    /// <summary>Channels of the built-in network's first stage (doubled at each later stage).</summary>
    public int Width { get; init; } = 32;

    /// <summary>Epochs to train.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Images per step (at most the number of training images).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>AdamW's peak learning rate (warm-up of one epoch, then cosine decay).</summary>
    public float LearningRate { get; init; } = 3e-3f;

    /// <summary>AdamW's decoupled weight decay.</summary>
    public float WeightDecay { get; init; } = 5e-4f;

    /// <summary>Label smoothing of the multi-class loss.</summary>
    public float LabelSmoothing { get; init; } = 0.1f;

    /// <summary>ONNX Runtime intra-op threads.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Seed of initialisation, shuffling and augmentation.</summary>
    public int Seed { get; init; }

    /// <summary>The augmentation of the training images; <see cref="ImageAugmentation.Default"/> when null.</summary>
    public ImageAugmentation? Augmentation { get; init; }

    /// <summary>The most bytes of decoded training images kept between epochs (the rest are decoded again each epoch).</summary>
    public long ImageCacheBytes { get; init; } = StreamingImageSource.DefaultCacheBytes;

    /// <summary>Saves a checkpoint after every this many epochs (0: never; the run cannot resume then).</summary>
    public int CheckpointEveryEpochs { get; init; } = 1;

    /// <summary>The transfer learning settings for jobs that train on a backbone (its defaults when null; threads and seed come from here).</summary>
    public TransferLearningOptions? Transfer { get; init; }
}

/// <summary>
/// Trains the built-in compact CNN (or, when the job names a backbone other than <see cref="TrainingJob.NoBackbone"/>, a head on it through
/// <see cref="TransferLearningTrainer"/>) as a multi-class (softmax cross-entropy) or multi-label (sigmoid BCE)
/// image classifier through an ONNX training graph in ONNX Runtime, and writes the package: one inference
/// ONNX graph (batch norm folded, dropout removed) and model.json with the preprocessing it was trained with.
/// Images are streamed (decoded, augmented and preprocessed per batch on worker threads), so memory follows
/// the batch. The run checkpoints into <see cref="TrainingJob.CheckpointDirectory"/> after every epoch; a later
/// call with the same job and settings resumes from there, and the checkpoint is removed once the package is written.
/// </summary>
internal sealed class ImageClassifierTrainer : IModelTrainer
{
    private static readonly float[] Mean = { 0.485f, 0.456f, 0.406f };
    private static readonly float[] Std = { 0.229f, 0.224f, 0.225f };
    private const string BuiltInBackbone = "builtin:compact-cnn";
    private readonly ImageClassifierTrainerOptions _options;
    private readonly IImageDecoder _decoder;
    private readonly ILogger _logger;

    /// <summary>
    /// Creates the trainer: images decoded by <paramref name="decoder"/> (<see cref="ImageDecoderFactory.Default"/>'s, the
    /// fastest present, when null; <c>AddRekognitionTraining</c> gives the one serving uses), progress logged to
    /// <paramref name="logger"/> (nowhere when null).
    /// </summary>
    public ImageClassifierTrainer(ImageClassifierTrainerOptions? options = null, IImageDecoder? decoder = null, ILogger? logger = null)
    {
        _options = options ?? new ImageClassifierTrainerOptions();
        _decoder = decoder ?? ImageDecoderFactory.Default.Decoder;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public Task<ModelPackage> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Kind == ModelKind.Detection)
        {
            throw new NotSupportedException("The built-in trainer trains classifiers; detection is not supported.");
        }

        if (job.Backbone is not null && !TrainingJob.IsNoBackbone(job.Backbone))
        {
            var transfer = (_options.Transfer ?? new TransferLearningOptions()) with { Threads = _options.Threads, Seed = _options.Seed };
            return new TransferLearningTrainer(transfer, _decoder, _logger).TrainAsync(job, progress, cancellationToken);
        }

        if (job.TrainImages.Count == 0 || job.Labels.Count == 0)
        {
            throw new ArgumentException("The job needs training images and labels.", nameof(job));
        }

        return Task.Run(() => Train(job, progress, cancellationToken), cancellationToken);
    }

    private ModelPackage Train(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var o = _options;
        var spec = new ModelInputSpec
        {
            Name = BuiltInNetworks.Input, Width = o.InputSize, Height = o.InputSize, Layout = TensorLayout.NCHW,
            Resize = ResizeMode.Stretch, Scale = 1f / 255f, Mean = (float[])Mean.Clone(), Std = (float[])Std.Clone(),
        };
        var samples = new StreamingImageSource(job.TrainImages.Select(i => i.Path).ToList(), spec, o.Augmentation, o.ImageCacheBytes, _decoder, job.OpenImageFile);
        var labels = Labels(job, job.TrainImages);
        var multiLabel = job.Kind == ModelKind.MultiLabel;
        var k = job.Labels.Count;
        TrainingLog.Started(_logger, job.Kind, BuiltInBackbone, samples.Count, k, o.Epochs, _decoder);

        var (network, trainable) = BuiltInNetworks.CompactCnn(3, o.InputSize, labels.LabelCount, o.Width, seed: o.Seed);
        var batch = Math.Min(o.BatchSize, samples.Count);
        TrainingLoss loss = multiLabel ? new SigmoidBinaryCrossEntropyLoss() : new SoftmaxCrossEntropyLoss(o.LabelSmoothing);
        var graph = TrainingGraphBuilder.Build(network, trainable, BuiltInNetworks.Output, loss,
            new Dictionary<string, long[]> { [BuiltInNetworks.Input] = new long[] { batch, 3, o.InputSize, o.InputSize } });
        using var session = new TrainingGraphSession(graph, o.Threads, o.Seed);
        var optimizer = new AdamWOptimizer(graph.Parameters.Select(p => p.InitialValues.Length).ToList(), weightDecay: o.WeightDecay);
        var loop = new TrainingLoop(session, optimizer, samples, labels, new TrainingLoopOptions
        {
            Epochs = o.Epochs, LearningRate = o.LearningRate, Cosine = true, WarmupEpochs = Math.Min(1, o.Epochs), ClipNorm = 5f, Augment = true, Seed = o.Seed,
            Checkpoint = o.CheckpointEveryEpochs > 0
                ? CheckpointOptions.ForJob(job, o.CheckpointEveryEpochs, o with { Threads = 0, ImageCacheBytes = 0, CheckpointEveryEpochs = 0 })
                : null,
        }) { Logger = _logger };
        loop.Run(progress, cancellationToken);

        var trained = new Dictionary<string, float[]>(session.RunningStatistics, StringComparer.Ordinal);
        for (var i = 0; i < graph.Parameters.Count; i++)
        {
            trained[graph.Parameters[i].Name] = session.Parameter(i);
        }

        var background = labels.LabelCount > k;
        var exported = InferenceGraphExporter.Export(network, trained);
        if (background)
        {
            BackgroundClass.Drop(exported, k);
        }

        var metadata = new ModelPackageMetadata
        {
            Kind = job.Kind,
            Labels = job.Labels.ToList(),
            Input = spec,
            Output = new ModelOutputSpec { Format = background ? OutputFormat.Probabilities : OutputFormat.Logits, Scores = BuiltInNetworks.Output },
            DefaultThreshold = 0.5f,
            Backbone = BuiltInBackbone,
        };
        metadata.Training["epochs"] = o.Epochs.ToString(CultureInfo.InvariantCulture);
        metadata.Training["trainImages"] = samples.Count.ToString(CultureInfo.InvariantCulture);
        metadata.Training["negativeExamples"] = job.TrainImages.Count(i => i.Labels.Count == 0).ToString(CultureInfo.InvariantCulture);
        metadata.Training["inputSize"] = o.InputSize.ToString(CultureInfo.InvariantCulture);
        metadata.Training["finalLoss"] = loop.EpochLosses[^1].ToString("0.####", CultureInfo.InvariantCulture);
        if (loop.ResumedEpochs > 0)
        {
            metadata.Training["resumedAfterEpoch"] = loop.ResumedEpochs.ToString(CultureInfo.InvariantCulture);
        }

        if (job.ValidationImages.Count > 0 && !multiLabel)
        {
            var validation = new StreamingImageSource(job.ValidationImages.Select(i => i.Path).ToList(), spec, cacheBytes: 0, decoder: _decoder, open: job.OpenImageFile);
            using var scorer = new InferenceScorer(exported, o.Threads);
            var accuracy = InferenceScorer.Accuracy(scorer.Score(validation), Labels(job, job.ValidationImages).Classes!);
            metadata.Training["validationAccuracy"] = accuracy.ToString("0.####", CultureInfo.InvariantCulture);
        }

        metadata.Training["seconds"] = clock.Elapsed.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        var package = WritePackage(job.OutputDirectory, exported, metadata, _logger);
        TrainingCheckpoint.Delete(job.CheckpointDirectory);
        TrainingLog.Finished(_logger, clock.Elapsed.TotalSeconds, loop.EpochsDone, loop.EpochLosses[^1]);
        return package;
    }

    /// <summary>Writes the model through a temporary file, then the package.</summary>
    internal static ModelPackage WritePackage(string directory, ModelProto model, ModelPackageMetadata metadata, ILogger logger)
    {
        TrainingLog.Exported(logger, model.Graph.Node.Count, metadata.Labels.Count);

        // The ONNX bytes go straight into the package's temporary model file (no second temporary copy).
        return ModelPackage.Write(directory, stream => model.WriteTo(stream), metadata);
    }

    /// <summary>The labels of <paramref name="images"/> as class indexes (multi-class) or 0/1 rows (multi-label).</summary>
    internal static SampleLabels Labels(TrainingJob job, IReadOnlyList<TrainingImage> images)
    {
        var k = job.Labels.Count;
        if (job.Kind == ModelKind.MultiLabel)
        {
            var targets = new float[images.Count * k];
            for (var i = 0; i < images.Count; i++)
            {
                foreach (var l in images[i].Labels)
                {
                    targets[(i * k) + l] = 1f;
                }
            }

            return new SampleLabels(null, targets, k);
        }

        // A negative example (an image with no label) is the background class k, one past the labels.
        var classes = images.Select(i => i.Labels.Count switch
        {
            0 => k,
            1 => i.Labels[0],
            _ => throw new ArgumentException($"{i.Path} needs exactly one label for a multi-class model."),
        }).ToArray();
        return new SampleLabels(classes, null, classes.Contains(k) ? k + 1 : k);
    }
}
