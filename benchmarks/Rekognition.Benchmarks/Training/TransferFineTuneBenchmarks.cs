using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Data;
using Rekognition.Training.Trainers;

using Rekognition.Benchmarks.Inference;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// Transfer learning with the last N blocks of the int8 MobileNetV2 fine-tuned along with the head
/// (TransferLearningOptions.FineTuneBlocks; the blocks rewritten in float ops): the activations before those
/// blocks are extracted once in setup for the hymenoptera train and val photos (timed and printed), each
/// invocation trains blocks and head with the trainer's fine-tuning defaults, and the val accuracy is printed at
/// cleanup. Blocks: FINETUNE_BLOCKS (default 1). Run:
/// dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- --filter '*TransferFineTune*'
/// </summary>
[Config(typeof(Config))]
public class TransferFineTuneBenchmarks
{
    private TransferLearningTrainer _trainer = null!;
    private ModelProto _network = null!;
    private float[] _train = null!;
    private int[] _trainLabels = null!;
    private float[] _val = null!;
    private int[] _valLabels = null!;
    private long[] _shape = null!;
    private double _valAccuracy;

    private static int Blocks => int.TryParse(Environment.GetEnvironmentVariable("FINETUNE_BLOCKS"), out var b) && b > 0 ? b : 1;

    [GlobalSetup]
    public void Setup()
    {
        var data = InferenceData.Root;
        _trainer = new TransferLearningTrainer(new TransferLearningOptions { FineTuneBlocks = Blocks, Threads = 2 });
        (_network, var spec) = _trainer.FeatureNetwork(Path.Combine(data, "models", "mobilenetv2-12-int8.onnx"));
        var (front, _) = _trainer.FineTuneFront(_network);
        var (trainPaths, trainLabels) = TransferLearningBenchmarks.Photos(data, "train");
        var (valPaths, valLabels) = TransferLearningBenchmarks.Photos(data, "val");
        var clock = Stopwatch.StartNew();
        using (var extractor = new FeatureExtractor(front, spec))
        {
            _train = extractor.Extract(trainPaths, CancellationToken.None);
            _val = extractor.Extract(valPaths, CancellationToken.None);
            _shape = extractor.SampleShape;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FINETUNE {Blocks} blocks: activations [{string.Join(',', _shape)}] of {trainPaths.Count + valPaths.Count} photos in {clock.Elapsed.TotalSeconds:F1} s"));
        (_trainLabels, _valLabels) = (trainLabels, valLabels);
    }

    [Benchmark]
    public void HymenopteraBlocksAndHead()
    {
        var (model, _) = _trainer.TrainBlocksAndHead(_network, _train, _shape, new SampleLabels(_trainLabels, null, 2), false, null, CancellationToken.None);
        using var scorer = new InferenceScorer(model);
        _valAccuracy = InferenceScorer.Accuracy(scorer.Score(new TensorSampleSource(_val, (int)_shape[0], (int)_shape[1], (int)_shape[2])), _valLabels);
    }

    [GlobalCleanup]
    public void Report() => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FINETUNE {Blocks} blocks: hymenoptera val accuracy {_valAccuracy * 100:F2}% ({_valLabels.Length} photos)"));

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(1), logOutput: true))
            .WithLaunchCount(1)
            .WithWarmupCount(0)
            .WithIterationCount(1)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithStrategy(BenchmarkDotNet.Engines.RunStrategy.Monitoring));
    }
}
