using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Imaging.Decoding;
using Rekognition.Training.Checkpoints;
using Rekognition.Training.Data;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Detection;
using Rekognition.Training.Export;
using Rekognition.Training.Graphs;
using Rekognition.Training.Optimizers;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Trainers;

/// <summary>Settings of <see cref="ObjectDetectorTrainer"/>.</summary>
public sealed record ObjectDetectorTrainerOptions
{
    /// <summary>The network's shape (input size and widths of the built-in backbone; pyramid width).</summary>
    public DetectorNetworkOptions Network { get; init; } = new();

    /// <summary>
    /// An external backbone (its taps, preprocessing and fine-tuning) for jobs that name one; a job's backbone path
    /// replaces this one's path. Null: the job's path with the automatic choices, or the built-in backbone.
    /// </summary>
    public DetectorBackbone? Backbone { get; init; }

    /// <summary>
    /// How a whole pretrained detector is fine-tuned when a job's detection backbone names one (and <see cref="Backbone"/>
    /// is not set): its epochs, learning rate, trained stages, class names and weight average replace the from-scratch ones.
    /// </summary>
    public PretrainedDetectorOptions FineTune { get; init; } = new();

    /// <summary>The random placement and colour changes of training images.</summary>
    public BoxAugmentationOptions Augmentation { get; init; } = new();

    /// <summary>
    /// Mosaic and mixup when training from scratch or on a backbone's features (a fine-tuned detector's are
    /// <see cref="PretrainedDetectorOptions.Mixing"/>); off by default, as the from-scratch recipe was measured without them.
    /// </summary>
    public ImageMixingOptions Mixing { get; init; } = new();

    /// <summary>
    /// Multi-scale input when training from scratch or on a backbone's features (a fine-tuned detector's is
    /// <see cref="PretrainedDetectorOptions.MultiScale"/>); off by default, as the from-scratch recipe was measured without it.
    /// </summary>
    public MultiScaleOptions MultiScale { get; init; } = new();

    /// <summary>Epochs to train.</summary>
    public int Epochs { get; init; } = 60;

    /// <summary>Images per step (at most the number of training images); small batches gave more per image in a fixed time.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>AdamW's peak learning rate (warm-up, then cosine decay).</summary>
    public float LearningRate { get; init; } = 1e-2f;

    /// <summary>AdamW's decoupled weight decay.</summary>
    public float WeightDecay { get; init; } = 5e-4f;

    /// <summary>Epochs of learning-rate warm-up.</summary>
    public float WarmupEpochs { get; init; } = 2f;

    /// <summary>Focal γ of the objectness term (0: binary cross-entropy).</summary>
    public float ObjectnessFocalGamma { get; init; }

    /// <summary>ONNX Runtime intra-op threads.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Seed of initialisation, shuffling and augmentation.</summary>
    public int Seed { get; init; }

    /// <summary>Checkpoints into the job's checkpoint folder after every this many epochs (0: none), so a crashed training resumes.</summary>
    public int CheckpointEveryEpochs { get; init; } = 1;
}

/// <summary>
/// Trains the anchor-free detector (<see cref="DetectorNetwork"/>) on a detection job, from scratch on the built-in
/// backbone or on an external ONNX backbone's feature maps (frozen or with its last convolutions fine-tuned):
/// images streamed from disk with box-aware augmentation, targets assigned per grid location, the
/// <see cref="DetectionLoss"/> differentiated by the engine, AdamW with warm-up and cosine decay. The package
/// is one inference graph (batch norms folded) that decodes its own boxes and scores; the runtime applies
/// per-label suppression and thresholds.
/// </summary>
internal sealed class ObjectDetectorTrainer : IModelTrainer
{
    private static readonly float[] Mean = { 0.485f, 0.456f, 0.406f };
    private static readonly float[] Std = { 0.229f, 0.224f, 0.225f };
    private const byte PadValue = 114;
    private readonly ObjectDetectorTrainerOptions _options;
    private readonly IImageDecoder _decoder;
    private readonly ILogger _logger;

    /// <summary>
    /// Creates the trainer: images decoded by <paramref name="decoder"/> (<see cref="ImageDecoderFactory.Default"/>'s, the
    /// fastest present, when null; <c>AddRekognitionTraining</c> gives the one serving uses), progress logged to
    /// <paramref name="logger"/> (nowhere when null).
    /// </summary>
    public ObjectDetectorTrainer(ObjectDetectorTrainerOptions? options = null, IImageDecoder? decoder = null, ILogger? logger = null)
    {
        _options = options ?? new ObjectDetectorTrainerOptions();
        _decoder = decoder ?? ImageDecoderFactory.Default.Decoder;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Further fine-tuned weights (<see cref="PretrainedDetectorOptions.FineTunedWeight"/>) to export from the same
    /// fine-tuning of a pretrained detector, each into <see cref="ComparedPackageDirectory"/>: cross-validation scores
    /// several without training again. Ignored when no pretrained detector is fine-tuned.
    /// </summary>
    internal IReadOnlyList<float> ComparedFineTunedWeights { get; init; } = Array.Empty<float>();

    /// <summary>Where the package exported at <paramref name="fineTunedWeight"/> of <see cref="ComparedFineTunedWeights"/> goes.</summary>
    internal static string ComparedPackageDirectory(TrainingJob job, float fineTunedWeight) =>
        job.OutputDirectory.TrimEnd(Path.DirectorySeparatorChar) + "-wise-" + fineTunedWeight.ToString("0.###", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public Task<ModelPackage> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Kind != ModelKind.Detection)
        {
            throw new ArgumentException($"The detector trainer trains detection jobs; this one is {job.Kind}.", nameof(job));
        }

        if (job.TrainImages.Count == 0 || job.Labels.Count == 0)
        {
            throw new ArgumentException("The job needs training images and labels.", nameof(job));
        }

        return Task.Run(() => Train(job, progress, cancellationToken), cancellationToken);
    }

    /// <summary>The detection samples of <paramref name="images"/>: each image's boxes with their label indexes.</summary>
    public static List<DetectionSample> Samples(IReadOnlyList<TrainingImage> images) =>
        images.Select(i => new DetectionSample(i.Path, i.Boxes.Select(b => (b.Label, b.Box)).ToList())).ToList();

    private ModelPackage Train(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var o = _options;
        var labels = job.Labels.Count;
        // A job's detection backbone is a whole detector to fine-tune, unless the options name feature taps of a backbone instead.
        var backbone = TrainingJob.IsNoBackbone(job.Backbone) ? null : o.Backbone is { } b ? b with { Path = job.Backbone ?? b.Path } : null;
        var detector = TrainingJob.IsNoBackbone(job.Backbone) || o.Backbone is not null ? null : job.Backbone;
        var (epochs, learningRate, warmup) = detector is null ? (o.Epochs, o.LearningRate, o.WarmupEpochs) : (o.FineTune.Epochs, o.FineTune.LearningRate, o.FineTune.WarmupEpochs);
        ModelProto network;
        IReadOnlyList<string> trainable;
        DetectionGrid grid;
        ModelInputSpec spec;
        IReadOnlyList<int>? classRows = null;
        IReadOnlyDictionary<string, bool[]> freshRows = new Dictionary<string, bool[]>();
        var regMax = 0;
        if (detector is not null)
        {
            var pretrained = PretrainedDetector.Build(detector, job.Labels, o.FineTune, o.Seed);
            (network, trainable, grid, spec, classRows) = pretrained;
            (regMax, freshRows) = (pretrained.RegMax, pretrained.FreshRows);
        }
        else if (backbone is null)
        {
            (network, trainable, grid) = DetectorNetwork.Build(labels, o.Network, o.Seed);
            spec = new ModelInputSpec
            {
                Name = DetectorNetwork.Input, Width = o.Network.InputSize, Height = o.Network.InputSize, Layout = TensorLayout.NCHW, Resize = ResizeMode.Letterbox,
                PadValue = PadValue, Scale = 1f / 255f, Mean = (float[])Mean.Clone(), Std = (float[])Std.Clone(),
            };
        }
        else
        {
            (network, trainable, grid, spec) = DetectorNetwork.Build(labels, backbone, o.Network, o.Seed);
        }

        var size = spec.Width;
        var samples = Samples(job.TrainImages);
        var batch = Math.Min(o.BatchSize, samples.Count);
        var fineTune = detector is not null;
        var multiScale = fineTune ? o.FineTune.MultiScale : o.MultiScale;
        var main = AtSize(network, trainable, grid, spec, samples, batch, fineTune, epochs, null, job, regMax);
        var others = new List<SizedTraining>();
        try
        {
            // Multi-scale: the same network at other sizes, sharing the main session's parameters; the export stays at the nominal size.
            foreach (var other in multiScale.OtherSizes(size))
            {
                var (sizedNetwork, sizedGrid, sizedSpec) = DetectorSizes.AtSize(network, spec, grid, other);
                others.Add(AtSize(sizedNetwork, trainable, sizedGrid, sizedSpec, samples, batch, fineTune, epochs, main.Session, job, regMax));
            }

            var (graph, session) = (main.Graph, main.Session);
            var optimizer = new AdamWOptimizer(graph.Parameters.Select(p => p.InitialValues.Length).ToList(), weightDecay: o.WeightDecay);
            var backboneName = detector ?? backbone?.Path ?? "builtin:detector";
            TrainingLog.Started(_logger, job.Kind, backboneName, samples.Count, labels, epochs, _decoder);
            var average = fineTune && o.FineTune.EmaDecay > 0
                ? new WeightAverage(Enumerable.Range(0, graph.Parameters.Count).Select(session.Parameter).ToList(), o.FineTune.EmaDecay)
                : null;
            var loop = new TrainingLoop(session, optimizer, main.Source, new TrainingLoopOptions
            {
                Epochs = epochs, LearningRate = learningRate, Cosine = true, WarmupEpochs = Math.Min(warmup, epochs), ClipNorm = 10f, Augment = true, Seed = o.Seed,
                Checkpoint = o.CheckpointEveryEpochs > 0
                    ? CheckpointOptions.ForJob(job, o.CheckpointEveryEpochs, o with { Threads = 0, CheckpointEveryEpochs = 0 }, string.Join(",", o.Network.StageWidths),
                        string.Join(",", backbone?.FeatureTensors ?? Array.Empty<string>()), multiScale.ToString())
                    : null,
            })
            {
                Logger = _logger, Average = average, OtherSizes = others.Select(x => (x.Session, (IBatchSource)x.Source)).ToList(),
            };
            loop.Run(progress, cancellationToken);
            var finalLoss = loop.EpochLosses[^1];

            var trained = new Dictionary<string, float[]>(session.RunningStatistics, StringComparer.Ordinal);
            for (var i = 0; i < graph.Parameters.Count; i++)
            {
                trained[graph.Parameters[i].Name] = average?.Values[i] ?? session.Parameter(i);
            }

            ModelPackage package;
            if (fineTune)
            {
                // WiSE-FT: the fine-tuned (averaged) weights mixed with the pretrained ones the training started from.
                var ensemble = new WeightSpaceEnsemble(StartingValues(graph), freshRows);
                foreach (var compared in ComparedFineTunedWeights)
                {
                    Package(ensemble.Mix(trained, compared), ComparedPackageDirectory(job, compared), compared);
                }

                package = Package(ensemble.Mix(trained, o.FineTune.FineTunedWeight), job.OutputDirectory, o.FineTune.FineTunedWeight);
            }
            else
            {
                package = Package(trained, job.OutputDirectory, null);
            }

            TrainingCheckpoint.Delete(job.CheckpointDirectory);
            TrainingLog.Finished(_logger, clock.Elapsed.TotalSeconds, loop.EpochsDone, finalLoss);
            return package;

            ModelPackage Package(Dictionary<string, float[]> weights, string directory, float? fineTunedWeight)
            {
                var exported = DetectorExport.AppendDecoding(InferenceGraphExporter.Export(network, weights), grid, labels, regMax);
                var metadata = new ModelPackageMetadata
                {
                    Kind = ModelKind.Detection,
                    Labels = job.Labels.ToList(),
                    Input = spec,
                    Output = new ModelOutputSpec { Format = OutputFormat.BoxesAndScores, Scores = DetectorExport.ScoresOutput, Boxes = DetectorExport.BoxesOutput },
                    DefaultThreshold = 0.3f,
                    NmsIouThreshold = 0.5f,
                    MinCandidateScore = 0.01f,
                    Backbone = backboneName,
                };
                metadata.Training["epochs"] = epochs.ToString(CultureInfo.InvariantCulture);
                if (classRows is not null)
                {
                    // Which labels started from one of the pretrained detector's classes, for the report.
                    metadata.Training["pretrainedClassRows"] = classRows.Count(r => r >= 0).ToString(CultureInfo.InvariantCulture);
                    metadata.Training["trainedStages"] = o.FineTune.TrainedStages.ToString(CultureInfo.InvariantCulture);
                }

                if (fineTunedWeight is { } a)
                {
                    metadata.Training["fineTunedWeight"] = a.ToString("0.###", CultureInfo.InvariantCulture);
                }

                metadata.Training["trainImages"] = samples.Count.ToString(CultureInfo.InvariantCulture);
                metadata.Training["inputSize"] = size.ToString(CultureInfo.InvariantCulture);
                if (others.Count > 0)
                {
                    metadata.Training["multiScaleSizes"] = string.Join(",", others.Select(x => x.Graph.Model.Graph.Input[0].Type.TensorType.Shape.Dim[2].DimValue).Prepend(size).Order());
                }

                metadata.Training["finalLoss"] = finalLoss.ToString("0.####", CultureInfo.InvariantCulture);
                if (loop.ResumedEpochs > 0)
                {
                    metadata.Training["resumedAfterEpoch"] = loop.ResumedEpochs.ToString(CultureInfo.InvariantCulture);
                }

                metadata.Training["seconds"] = clock.Elapsed.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
                return ImageClassifierTrainer.WritePackage(directory, exported, metadata, _logger);
            }
        }
        finally
        {
            foreach (var sized in others.Prepend(main))
            {
                sized.Dispose();
            }
        }
    }

    /// <summary>The values the training started from: the parameters' and the batch norms' running statistics (a fine-tuned detector's pretrained ones).</summary>
    private static Dictionary<string, float[]> StartingValues(TrainingGraph graph)
    {
        var values = graph.Parameters.ToDictionary(p => p.Name, p => p.InitialValues, StringComparer.Ordinal);
        foreach (var b in graph.BatchNorms)
        {
            values[b.RunningMean] = b.InitialMean;
            values[b.RunningVariance] = b.InitialVariance;
        }

        return values;
    }

    /// <summary>One input size's training graph, session (sharing <paramref name="sharing"/>'s parameters when given) and batch source.</summary>
    private SizedTraining AtSize(ModelProto network, IReadOnlyList<string> trainable, DetectionGrid grid, ModelInputSpec spec, List<DetectionSample> samples,
        int batch, bool fineTune, int epochs, TrainingGraphSession? sharing, TrainingJob job, int regMax)
    {
        var o = _options;
        var labels = job.Labels.Count;
        // A YOLOv8 detector's rows hold distance bins and no objectness (regMax > 0); the rest are YOLOX's.
        Losses.DifferentiableLoss loss = regMax > 0 ? new DflDetectionLoss(grid, labels, regMax) : new DetectionLoss(grid, labels) { ObjectnessFocalGamma = o.ObjectnessFocalGamma };
        var graph = TrainingGraphBuilder.Build(network, trainable.ToList(), DetectorNetwork.RawOutput, loss,
            new Dictionary<string, long[]> { [spec.Name] = new long[] { batch, 3, spec.Height, spec.Width } });
        var session = new TrainingGraphSession(graph, o.Threads, o.Seed, sharing: sharing);
        // The fixed assignment knows one location per cell: an anchor-based head (YOLOv5's) is always assigned dynamically.
        var assignment = fineTune && (o.FineTune.DynamicAssignment || grid.Anchors is not null) ? new SimOtaAssignment(network, spec.Name, grid, labels, 1) { RegMax = regMax } : null;
        var source = new DetectionBatches(samples, _decoder, new BoxAugmentation(spec, o.Augmentation), new DetectionTargets(grid, labels), grid, labels, job.OpenImageFile)
        {
            Assignment = assignment, Mixing = fineTune ? o.FineTune.Mixing : o.Mixing, Epochs = epochs,
        };
        return new SizedTraining(graph, session, source, assignment);
    }

    /// <summary>The training state of one input size.</summary>
    private sealed record SizedTraining(TrainingGraph Graph, TrainingGraphSession Session, DetectionBatches Source, SimOtaAssignment? Assignment) : IDisposable
    {
        public void Dispose()
        {
            Session.Dispose();
            Assignment?.Dispose();
        }
    }
}
