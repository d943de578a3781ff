using System.Diagnostics;
using System.Globalization;
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

/// <summary>How the linear head is optimised.</summary>
public enum HeadOptimizer
{
    /// <summary>SGD with momentum 0.9 and L2 weight decay from zero weights: a regularised logistic (softmax) regression.</summary>
    Sgd,

    /// <summary>AdamW with decoupled weight decay.</summary>
    AdamW,
}

/// <summary>
/// Settings of <see cref="TransferLearningTrainer"/>. The head's defaults (SGD from zero weights with L2) were chosen by
/// 4-fold cross-validation repeated 5 times on the hymenoptera training photos only (never on its val set).
/// </summary>
public sealed record TransferLearningOptions
{
    /// <summary>Side of the square input the backbone expects.</summary>
    public int InputSize { get; init; } = 224;

    /// <summary>
    /// How images are fitted to the input, at training and at inference alike (the package's input spec records it).
    /// <see cref="ResizeMode.CentreCrop"/> (the default): the centred square of <see cref="CropFraction"/> of the shorter
    /// side, aspect kept, scaled to InputSize (the ImageNet evaluation's "shorter side to 256, centre 224");
    /// <see cref="ResizeMode.Stretch"/>: the whole image stretched to InputSize. On hymenoptera train (4-fold
    /// cross-validation repeated 5 times) the centre crop at 0.875 scored 97.1 %, above the stretched whole image.
    /// </summary>
    public ResizeMode Resize { get; init; } = ResizeMode.CentreCrop;

    /// <summary>For <see cref="ResizeMode.CentreCrop"/>: the share (0, 1] of the image's shorter side the crop keeps.</summary>
    public float CropFraction { get; init; } = 0.875f;

    /// <summary>Epochs of head training over the cached features.</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>Feature vectors per step (at most the number of training images).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The optimiser of the head.</summary>
    public HeadOptimizer Optimizer { get; init; } = HeadOptimizer.Sgd;

    /// <summary>Peak learning rate (cosine decay).</summary>
    public float LearningRate { get; init; } = 0.03f;

    /// <summary>Weight decay: L2 added to the gradient (SGD) or AdamW's decoupled decay.</summary>
    public float WeightDecay { get; init; } = 3f;

    /// <summary>Dropout on the standardised features while training.</summary>
    public float Dropout { get; init; }

    /// <summary>Label smoothing of the multi-class loss.</summary>
    public float LabelSmoothing { get; init; }

    /// <summary>Scale of the head's initial weights (1: PyTorch's uniform ±1/√features; 0: zeros, the regularised-regression start).</summary>
    public float InitScale { get; init; }

    /// <summary>
    /// Blocks at the end of the backbone trained along with the head (0: the head only, on cached pooled features).
    /// The activations before those blocks are extracted once and cached; the blocks need float ops (see <see cref="BlockSplit"/>).
    /// </summary>
    public int FineTuneBlocks { get; init; }

    /// <summary>Peak learning rate when fine-tuning blocks (AdamW, cosine decay, no weight decay on the pretrained weights).</summary>
    public float FineTuneLearningRate { get; init; } = 1e-4f;

    /// <summary>Epochs when fine-tuning blocks.</summary>
    public int FineTuneEpochs { get; init; } = 10;

    /// <summary>
    /// Adds each training image flipped left to right as a second sample (its features extracted once more), which doubles
    /// extraction time and the cache but not inference. Off by default for external backbones; the default backbone's
    /// setting is chosen by <c>resnet18-cv</c>.
    /// </summary>
    public bool MirroredCopies { get; init; }

    /// <summary>
    /// The most bytes of extracted features (or activations, when fine-tuning) kept in the process's memory; beyond it they
    /// go to a temporary file in the job's checkpoint folder, mapped into memory, so training memory stays bounded by the
    /// batch rather than the dataset. It does not change what is trained.
    /// </summary>
    public long FeatureMemoryBudgetBytes { get; init; } = FeatureMatrix.DefaultMemoryBudget;

    /// <summary>ONNX Runtime intra-op threads.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Seed of initialisation, shuffling and dropout.</summary>
    public int Seed { get; init; }
}

/// <summary>
/// Transfer learning from an external ONNX classification backbone (e.g. an ImageNet MobileNetV2): the
/// backbone is cut at its pooled features, the features of every training image are extracted once and
/// kept (in memory under <see cref="TransferLearningOptions.FeatureMemoryBudgetBytes"/>, else in a file), a linear head is trained on them through a training graph, and the package holds the backbone
/// and the head joined into one inference graph.
/// </summary>
internal sealed class TransferLearningTrainer : IModelTrainer
{
    private readonly TransferLearningOptions _options;
    private readonly IImageDecoder _decoder;
    private readonly ILogger _logger;

    /// <summary>
    /// Creates the trainer: images decoded by <paramref name="decoder"/> (<see cref="ImageDecoderFactory.Default"/>'s, the
    /// fastest present, when null; <c>AddRekognitionTraining</c> gives the one serving uses), progress logged to
    /// <paramref name="logger"/> (nowhere when null).
    /// </summary>
    public TransferLearningTrainer(TransferLearningOptions? options = null, IImageDecoder? decoder = null, ILogger? logger = null)
    {
        _options = options ?? new TransferLearningOptions();
        _decoder = decoder ?? ImageDecoderFactory.Default.Decoder;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The ImageNet preprocessing the backbones expect, the image fitted to the input as <paramref name="resize"/> says.</summary>
    public static ModelInputSpec InputSpec(string inputName, int size, ResizeMode resize = ResizeMode.Stretch, float cropFraction = 0.875f) => new()
    {
        Name = inputName, Width = size, Height = size, Layout = TensorLayout.NCHW, Resize = resize, CropFraction = cropFraction,
        Scale = 1f / 255f, Mean = new[] { 0.485f, 0.456f, 0.406f }, Std = new[] { 0.229f, 0.224f, 0.225f },
    };

    /// <inheritdoc />
    public Task<ModelPackage> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Backbone is null)
        {
            throw new ArgumentException("Transfer learning needs the job's Backbone (an ONNX file).", nameof(job));
        }

        if (job.Kind == ModelKind.Detection)
        {
            throw new NotSupportedException("Transfer learning trains classifiers; detection is not supported.");
        }

        return Task.Run(() => Train(job, progress, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The backbone file cut at its pooled features, and its input spec (which crops or stretches as the options say). A
    /// backbone that ships its own preprocessing (ML.NET's ResNets: BGR order, a mean image on 0–255) has it joined in front
    /// of the graph, so the package's model takes the RGB image on 0–255 and serving prepares images as training did.
    /// </summary>
    public (ModelProto Features, ModelInputSpec Spec) FeatureNetwork(string backbonePath)
    {
        var backbone = BackboneFile.Read(backbonePath);
        return FeatureNetwork(backbone.Model, backbone.Preprocessed, Path.GetFileName(backbonePath));
    }

    /// <summary>The backbone cut at its pooled features, and its input spec (which crops or stretches as the options say).</summary>
    public (ModelProto Features, ModelInputSpec Spec) FeatureNetwork(ModelProto backbone) => FeatureNetwork(backbone, false, "backbone");

    private (ModelProto Features, ModelInputSpec Spec) FeatureNetwork(ModelProto backbone, bool preprocessed, string name)
    {
        if (_options.Resize == ResizeMode.CentreCrop && !(_options.CropFraction > 0f && _options.CropFraction <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(backbone), _options.CropFraction, "The crop fraction must be in (0, 1].");
        }

        var (features, _) = PooledFeatureCut.Cut(backbone, name);
        var input = ImageInput.Find(features.Graph, name).Name;
        return (features, BackboneFile.InputSpec(input, _options.InputSize, preprocessed, _options.Resize, _options.CropFraction));
    }

    /// <summary>
    /// Trains the head on cached features [images, features] with the given labels and returns the trained
    /// inference head (dropout removed) and the loop, for its losses; with <paramref name="checkpoint"/> the loop
    /// checkpoints and resumes as <see cref="TrainingLoopOptions.Checkpoint"/> says.
    /// </summary>
    public (ModelProto Head, TrainingLoop Loop) TrainHead(float[] features, SampleLabels labels, bool multiLabel, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, CheckpointOptions? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        using var matrix = new FeatureMatrix(features, features.Length / SampleCount(labels));
        return TrainHead(matrix, labels, multiLabel, progress, cancellationToken, checkpoint);
    }

    /// <summary>
    /// Trains the head on the rows of <paramref name="features"/> (one per image, in memory or in a file) with the given
    /// labels and returns the trained inference head (dropout removed) and the loop, for its losses; with
    /// <paramref name="checkpoint"/> the loop checkpoints and resumes as <see cref="TrainingLoopOptions.Checkpoint"/> says.
    /// </summary>
    public (ModelProto Head, TrainingLoop Loop) TrainHead(FeatureMatrix features, SampleLabels labels, bool multiLabel, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, CheckpointOptions? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        var o = _options;
        var count = CheckedCount(features, labels);
        var width = features.Width;
        var (mean, std) = features.ColumnMoments();
        var (head, trainable) = LinearHead.Build(mean, std, labels.LabelCount, o.Dropout, o.Seed, o.InitScale);
        var batch = Math.Min(o.BatchSize, count);
        TrainingLoss loss = multiLabel ? new SigmoidBinaryCrossEntropyLoss() : new SoftmaxCrossEntropyLoss(o.LabelSmoothing);
        var graph = TrainingGraphBuilder.Build(head, trainable, BuiltInNetworks.Output, loss,
            new Dictionary<string, long[]> { [LinearHead.Input] = new long[] { batch, width, 1, 1 } });
        using var session = new TrainingGraphSession(graph, o.Threads, o.Seed);
        var sizes = graph.Parameters.Select(p => p.InitialValues.Length).ToList();
        Optimizer optimizer = o.Optimizer == HeadOptimizer.Sgd
            ? new SgdOptimizer(sizes, momentum: 0.9f, weightDecay: o.WeightDecay)
            : new AdamWOptimizer(sizes, weightDecay: o.WeightDecay);
        var loop = new TrainingLoop(session, optimizer, features, labels, new TrainingLoopOptions
        {
            Epochs = o.Epochs, LearningRate = o.LearningRate, Cosine = true, WarmupEpochs = 0, Seed = o.Seed, Checkpoint = checkpoint,
        }) { Logger = _logger };
        loop.Run(progress, cancellationToken);
        var trained = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Parameters.Count; i++)
        {
            trained[graph.Parameters[i].Name] = session.Parameter(i);
        }

        return (InferenceGraphExporter.Export(head, trained), loop);
    }

    /// <summary>
    /// Trains the last <see cref="TransferLearningOptions.FineTuneBlocks"/> blocks of <paramref name="featureNetwork"/> and a
    /// linear head on cached activations [images, C·H·W] at the cut (from <see cref="FineTuneFront"/>), and returns
    /// the trained back joined with the head (input <see cref="BlockSplit.BackInput"/>, output the logits) and the loop;
    /// with <paramref name="checkpoint"/> the loop checkpoints and resumes as <see cref="TrainingLoopOptions.Checkpoint"/> says.
    /// </summary>
    public (ModelProto BackAndHead, TrainingLoop Loop) TrainBlocksAndHead(ModelProto featureNetwork, float[] activations, long[] activationShape, SampleLabels labels, bool multiLabel, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, CheckpointOptions? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(activationShape);
        ArgumentNullException.ThrowIfNull(labels);
        var perImage = activations.Length / SampleCount(labels);
        using var matrix = new FeatureMatrix(activations, perImage, activationShape.Length == 3 ? activationShape.Select(d => checked((int)d)).ToArray() : null);
        return TrainBlocksAndHead(featureNetwork, matrix, labels, multiLabel, progress, cancellationToken, checkpoint);
    }

    /// <summary>
    /// Trains the last <see cref="TransferLearningOptions.FineTuneBlocks"/> blocks of <paramref name="featureNetwork"/> and a
    /// linear head on the activations at the cut (from <see cref="FineTuneFront"/>), one row per image whose
    /// <see cref="FeatureMatrix.SampleShape"/> is the activation's [C, H, W], and returns the trained back joined with the
    /// head (input <see cref="BlockSplit.BackInput"/>, output the logits) and the loop; with <paramref name="checkpoint"/> the
    /// loop checkpoints and resumes as <see cref="TrainingLoopOptions.Checkpoint"/> says. The pooled features the head is
    /// standardised with go to <paramref name="scratchDirectory"/> (the temporary folder when null) if they exceed
    /// <see cref="TransferLearningOptions.FeatureMemoryBudgetBytes"/>.
    /// </summary>
    public (ModelProto BackAndHead, TrainingLoop Loop) TrainBlocksAndHead(ModelProto featureNetwork, FeatureMatrix activations, SampleLabels labels, bool multiLabel, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, CheckpointOptions? checkpoint = null, string? scratchDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(featureNetwork);
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(labels);
        var o = _options;
        var (_, _, back, splitTrainable) = BlockSplit.Split(featureNetwork, o.FineTuneBlocks);
        var backTrainable = FrozenBatchNorm.Apply(back, splitTrainable);
        var count = CheckedCount(activations, labels);
        var shape = activations.SampleShape.Select(d => (long)d).ToArray();

        // The head standardises the pooled features the untrained back gives for the training images.
        float[] mean, std;
        using (var scorer = new InferenceScorer(back, o.Threads))
        using (var pooled = scorer.ScoreToMatrix(activations, o.FeatureMemoryBudgetBytes, scratchDirectory))
        {
            (mean, std) = pooled.ColumnMoments();
        }

        var (head, headTrainable) = LinearHead.Build(mean, std, labels.LabelCount, o.Dropout, o.Seed, o.InitScale);
        var backOutput = back.Graph.Output[0].Name;
        var joined = HeadAttacher.Attach(back, backOutput, head, LinearHead.Input);
        var trainable = backTrainable.Concat(headTrainable.Select(t => HeadAttacher.Prefix + t)).ToList();
        var batch = Math.Min(o.BatchSize, count);
        TrainingLoss loss = multiLabel ? new SigmoidBinaryCrossEntropyLoss() : new SoftmaxCrossEntropyLoss(o.LabelSmoothing);
        var graph = TrainingGraphBuilder.Build(joined, trainable, BuiltInNetworks.Output, loss,
            new Dictionary<string, long[]> { [BlockSplit.BackInput] = new long[] { batch }.Concat(shape).ToArray() });
        using var session = new TrainingGraphSession(graph, o.Threads, o.Seed);
        var optimizer = new AdamWOptimizer(graph.Parameters.Select(p => p.InitialValues.Length).ToList(), weightDecay: 0f);
        var loop = new TrainingLoop(session, optimizer, activations, labels, new TrainingLoopOptions
        {
            Epochs = o.FineTuneEpochs, LearningRate = o.FineTuneLearningRate, Cosine = true, WarmupEpochs = 0, Seed = o.Seed, Checkpoint = checkpoint,
        }) { Logger = _logger };
        loop.Run(progress, cancellationToken);
        var trained = new Dictionary<string, float[]>(session.RunningStatistics, StringComparer.Ordinal);
        for (var i = 0; i < graph.Parameters.Count; i++)
        {
            trained[graph.Parameters[i].Name] = session.Parameter(i);
        }

        return (InferenceGraphExporter.Export(joined, trained), loop);
    }

    /// <summary>The frozen front of <paramref name="featureNetwork"/> before its last <see cref="TransferLearningOptions.FineTuneBlocks"/> blocks, and the cut tensor.</summary>
    public (ModelProto Front, string Cut) FineTuneFront(ModelProto featureNetwork)
    {
        var (front, cut, _, _) = BlockSplit.Split(featureNetwork, _options.FineTuneBlocks);
        return (front, cut);
    }

    private ModelPackage Train(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var (featureNetwork, spec) = FeatureNetwork(job.Backbone!);
        var multiLabel = job.Kind == ModelKind.MultiLabel;
        var fineTune = _options.FineTuneBlocks > 0;
        var (front, cut) = fineTune ? FineTuneFront(featureNetwork) : (featureNetwork, PooledFeatureCut.FeaturesOutput);
        var epochs = fineTune ? _options.FineTuneEpochs : _options.Epochs;
        TrainingLog.Started(_logger, job.Kind, job.Backbone!, job.TrainImages.Count, job.Labels.Count, epochs, _decoder);

        // Features beyond the budget go to a file beside the checkpoint (the job's own disk, not a possibly small /tmp).
        var scratch = job.CheckpointDirectory;
        var scratchExisted = Directory.Exists(scratch);
        ModelProto joined;
        TrainingLoop loop;
        TimeSpan extraction;
        bool onDisk;
        try
        {
            using var features = ExtractFeatures(front, spec, job, scratch, cancellationToken);
            extraction = clock.Elapsed;
            onDisk = features.OnDisk;
            TrainingLog.FeaturesExtracted(_logger, features.Count, extraction.TotalSeconds, onDisk ? "a file" : "memory");
            var labels = ImageClassifierTrainer.Labels(job, job.TrainImages);
            if (_options.MirroredCopies)
            {
                labels = labels.Repeated(2);
            }

            // The features are extracted again on a resume (the same ones: extraction is deterministic); the loop's state is
            // checkpointed. Threads and the memory budget do not change the result, so they are not part of the fingerprint.
            var checkpoint = CheckpointOptions.ForJob(job, 1, _options with { Threads = 0, FeatureMemoryBudgetBytes = 0 });
            if (fineTune)
            {
                (var backAndHead, loop) = TrainBlocksAndHead(featureNetwork, features, labels, multiLabel, progress, cancellationToken, checkpoint, scratch);
                joined = HeadAttacher.Attach(front, cut, backAndHead, BlockSplit.BackInput);
            }
            else
            {
                (var head, loop) = TrainHead(features, labels, multiLabel, progress, cancellationToken, checkpoint);
                joined = HeadAttacher.Attach(featureNetwork, PooledFeatureCut.FeaturesOutput, head, LinearHead.Input);
            }
        }
        finally
        {
            // The feature file went with the matrix; a checkpoint folder made only to hold it goes too.
            if (!scratchExisted && Directory.Exists(scratch) && !Directory.EnumerateFileSystemEntries(scratch).Any())
            {
                Directory.Delete(scratch);
            }
        }

        // Negative examples trained a background class past the labels (single-label): the package never returns it.
        var background = !multiLabel && job.TrainImages.Any(i => i.Labels.Count == 0);
        if (background)
        {
            BackgroundClass.Drop(joined, job.Labels.Count);
        }

        var metadata = new ModelPackageMetadata
        {
            Kind = job.Kind,
            Labels = job.Labels.ToList(),
            Input = spec,
            Output = new ModelOutputSpec { Format = background ? OutputFormat.Probabilities : OutputFormat.Logits, Scores = BuiltInNetworks.Output },
            DefaultThreshold = 0.5f,
            Backbone = job.Backbone,
        };
        metadata.Training["epochs"] = epochs.ToString(CultureInfo.InvariantCulture);
        metadata.Training["fineTuneBlocks"] = _options.FineTuneBlocks.ToString(CultureInfo.InvariantCulture);
        metadata.Training["trainImages"] = job.TrainImages.Count.ToString(CultureInfo.InvariantCulture);
        metadata.Training["negativeExamples"] = job.TrainImages.Count(i => i.Labels.Count == 0).ToString(CultureInfo.InvariantCulture);
        metadata.Training["mirroredCopies"] = _options.MirroredCopies ? "true" : "false";
        metadata.Training["featureCache"] = onDisk ? "disk" : "memory";
        metadata.Training["featureSeconds"] = extraction.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        metadata.Training["headSeconds"] = (clock.Elapsed - extraction).TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture);
        metadata.Training["finalLoss"] = loop.EpochLosses[^1].ToString("0.####", CultureInfo.InvariantCulture);
        if (loop.ResumedEpochs > 0)
        {
            metadata.Training["resumedAfterEpoch"] = loop.ResumedEpochs.ToString(CultureInfo.InvariantCulture);
        }

        var package = ImageClassifierTrainer.WritePackage(job.OutputDirectory, joined, metadata, _logger);
        TrainingCheckpoint.Delete(job.CheckpointDirectory);
        TrainingLog.Finished(_logger, clock.Elapsed.TotalSeconds, loop.EpochsDone, loop.EpochLosses[^1]);
        return package;
    }

    /// <summary>The training images' features (or activations at the cut) from <paramref name="front"/>, a chunk of images at a time.</summary>
    private FeatureMatrix ExtractFeatures(ModelProto front, ModelInputSpec spec, TrainingJob job, string scratch, CancellationToken cancellationToken)
    {
        using var extractor = new FeatureExtractor(front, spec, _options.Threads, _decoder);
        return FeatureMatrix.Extract(extractor, job.TrainImages.Select(i => i.Path).ToList(), cancellationToken, _options.FeatureMemoryBudgetBytes, scratch, open: job.OpenImageFile, mirroredCopies: _options.MirroredCopies);
    }

    private static int SampleCount(SampleLabels labels) => labels.Classes?.Length ?? (labels.Targets!.Length / labels.LabelCount);

    private static int CheckedCount(FeatureMatrix features, SampleLabels labels)
    {
        var count = SampleCount(labels);
        if (count != features.Count)
        {
            throw new ArgumentException($"{features.Count} feature rows for {count} labelled samples.", nameof(features));
        }

        return count;
    }
}
