using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Backbones;
using Rekognition.Training.Data;
using Rekognition.Training.Export;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Optimizers;
using Rekognition.Training.Runtime;
using Rekognition.Training.Trainers;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// One training epoch on the MNIST split of the PyTorch peer (train_mnist.py: 8,000 train / 2,000 test),
/// per invocation; each warm-up and measured iteration is one more epoch of the same run, and the test
/// accuracy after the last one is printed at cleanup. MnistCnn is the peer's network and optimiser
/// (Adam 1e-3, batch 64, dropout, 2 threads); CompactCnn is the built-in conv-BN network (AdamW, cosine
/// schedule over the planned epochs, ±2 px shifts, label smoothing 0.1).
/// Epochs: MNIST_EPOCHS (default 3) = 1 warm-up + the measured ones. Run:
/// MNIST_NETWORK=MnistCnn MNIST_EPOCHS=3 dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- --filter '*MnistTraining*'
/// </summary>
[Config(typeof(Config))]
public class MnistTrainingBenchmarks
{
    private MnistDigits _data = null!;
    private TrainingGraphSession _session = null!;
    private TrainingLoop _loop = null!;
    private ModelProto _network = null!;
    private int _epochsRun;

    /// <summary>The networks to run: MNIST_NETWORK (MnistCnn or CompactCnn), both when unset.</summary>
    public static IEnumerable<string> Networks =>
        Environment.GetEnvironmentVariable("MNIST_NETWORK") is { Length: > 0 } one ? new[] { one } : new[] { "MnistCnn", "CompactCnn" };

    [ParamsSource(nameof(Networks))]
    public string Network { get; set; } = "MnistCnn";

    /// <summary>ONNX Runtime's intra-op threads (the interleaved runner gives the peer the same count).</summary>
    internal int Threads { get; init; } = 2;

    /// <summary>Whether batches are filled on a loader thread beside the runtime's (false: between steps, on the calling thread).</summary>
    internal bool Prefetch { get; init; } = true;

    /// <summary>The wall time of the last epoch run.</summary>
    internal TimeSpan LastEpoch => _loop.EpochTimes[^1];

    private static int PlannedEpochs => int.TryParse(Environment.GetEnvironmentVariable("MNIST_EPOCHS"), out var e) && e >= 2 ? e : 3;

    [GlobalSetup]
    public void Setup()
    {
        _data = MnistDigits.Load();
        var compact = Network == "CompactCnn";
        var (network, trainable) = compact ? BuiltInNetworks.CompactCnn(1, 28, 10, width: 32) : BuiltInNetworks.MnistCnn();
        _network = network;
        const int batch = 64;
        TrainingLoss loss = compact ? new SoftmaxCrossEntropyLoss(0.1f) : new SoftmaxCrossEntropyLoss();
        var graph = TrainingGraphBuilder.Build(network, trainable, BuiltInNetworks.Output, loss,
            new Dictionary<string, long[]> { [BuiltInNetworks.Input] = new long[] { batch, 1, 28, 28 } });
        _session = new TrainingGraphSession(graph, Threads);
        var sizes = graph.Parameters.Select(p => p.InitialValues.Length).ToList();
        Optimizer optimizer = compact ? new AdamWOptimizer(sizes, weightDecay: 5e-4f) : new AdamWOptimizer(sizes, weightDecay: 0f);
        var samples = new TensorSampleSource(_data.TrainImages, 1, 28, 28, MnistDigits.Background, maxShift: compact ? 2 : 0);
        // Each invocation runs one epoch of a loop planned for all epochs (the cosine schedule spans the run).
        _loop = new TrainingLoop(_session, optimizer, samples, new Rekognition.Training.Data.SampleLabels(_data.TrainLabels, null, 10), new TrainingLoopOptions
        {
            Epochs = 1,
            LearningRate = compact ? 3e-3f : 1e-3f,
            Cosine = compact,
            WarmupEpochs = compact ? 1f / PlannedEpochs : 0,
            ScheduleEpochs = PlannedEpochs,
            Augment = compact,
            Seed = 0,
            Prefetch = Prefetch,
        });
    }

    [Benchmark]
    public void Epoch()
    {
        _loop.Run(null, CancellationToken.None);
        _epochsRun++;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var values = new Dictionary<string, float[]>(_session.RunningStatistics, StringComparer.Ordinal);
        for (var i = 0; i < _session.Graph.Parameters.Count; i++)
        {
            values[_session.Graph.Parameters[i].Name] = _session.Parameter(i);
        }

        using var scorer = new InferenceScorer(InferenceGraphExporter.Export(_network, values));
        var test = new TensorSampleSource(_data.TestImages, 1, 28, 28);
        var accuracy = InferenceScorer.Accuracy(scorer.Score(test, 500), _data.TestLabels);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"MNIST {Network}: {_epochsRun} epochs, last epoch loss {_loop.EpochLosses[^1]:F4}, test accuracy {accuracy * 100:F2}% ({_data.TestLabels.Length} images), epoch seconds {string.Join(' ', _loop.EpochTimes.Select(t => t.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))}");
        Console.WriteLine(line);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "mnist-training-results.txt"), line + Environment.NewLine);
        _session.Dispose();
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(2), logOutput: true))
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(PlannedEpochs - 1)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithStrategy(BenchmarkDotNet.Engines.RunStrategy.Monitoring));
    }
}
