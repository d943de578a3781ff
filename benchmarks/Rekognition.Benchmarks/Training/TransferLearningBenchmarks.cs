using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Rekognition.Training.Data;
using Rekognition.Training.Trainers;

using Rekognition.Benchmarks.Inference;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// Transfer learning on the int8 MobileNetV2 (shared/data/models) cut at its pooled features:
/// HymenopteraHead trains the linear head on the cached features of the 244 hymenoptera training photos (the GIF placeholder skipped)
/// (features extracted once in setup, timed and printed) and prints the val accuracy (153 photos) at cleanup;
/// Head1000x10 trains a head on 1,000 cached 1280-feature vectors with 10 labels (the "≤ 10 s after extraction" case).
/// </summary>
[Config(typeof(Config))]
public class TransferLearningBenchmarks
{
    private static readonly string[] Classes = { "ants", "bees" };
    private TransferLearningTrainer _trainer = null!;
    private float[] _train = null!;
    private int[] _trainLabels = null!;
    private float[] _val = null!;
    private int[] _valLabels = null!;
    private float[] _synthetic = null!;
    private int[] _syntheticLabels = null!;
    private double _valAccuracy;

    [GlobalSetup]
    public void Setup()
    {
        var data = InferenceData.Root;
        _trainer = new TransferLearningTrainer(new TransferLearningOptions { Threads = 2 });
        var (features, spec) = _trainer.FeatureNetwork(Path.Combine(data, "models", "mobilenetv2-12-int8.onnx"));
        var (trainPaths, trainLabels) = Photos(data, "train");
        var (valPaths, valLabels) = Photos(data, "val");
        var clock = Stopwatch.StartNew();
        using (var extractor = new FeatureExtractor(features, spec))
        {
            _train = extractor.Extract(trainPaths, CancellationToken.None);
            _val = extractor.Extract(valPaths, CancellationToken.None);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"TRANSFER feature extraction: {trainPaths.Count + valPaths.Count} photos in {clock.Elapsed.TotalSeconds:F1} s"));
        (_trainLabels, _valLabels) = (trainLabels, valLabels);

        // 1,000 vectors of 1,280 features, 10 labels: class means apart along a few features, noise elsewhere.
        var random = new Random(1);
        _synthetic = new float[1000 * 1280];
        _syntheticLabels = Enumerable.Range(0, 1000).Select(i => i % 10).ToArray();
        for (var i = 0; i < _synthetic.Length; i++)
        {
            _synthetic[i] = (float)(random.NextDouble() + (i % 1280 == _syntheticLabels[i / 1280] ? 1 : 0));
        }
    }

    [Benchmark]
    public void HymenopteraHead()
    {
        var (head, _) = _trainer.TrainHead(_train, new SampleLabels(_trainLabels, null, 2), false, null, CancellationToken.None);
        using var scorer = new InferenceScorer(head);
        _valAccuracy = InferenceScorer.Accuracy(scorer.Score(new TensorSampleSource(_val, _val.Length / _valLabels.Length, 1, 1)), _valLabels);
    }

    [Benchmark]
    public void Head1000x10() => _trainer.TrainHead(_synthetic, new SampleLabels(_syntheticLabels, null, 10), false, null, CancellationToken.None);

    [GlobalCleanup(Target = nameof(HymenopteraHead))]
    public void Report() => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"TRANSFER hymenoptera val accuracy {_valAccuracy * 100:F2}% ({_valLabels.Length} photos)"));

    /// <summary>The JPEG and PNG photos of a hymenoptera split, in a fixed order, and their labels (0 ants, 1 bees).</summary>
    internal static (List<string> Paths, int[] Labels) Photos(string data, string split)
    {
        // JPEG and PNG only: train/ants holds a GIF placeholder the decoder (and the service) rejects.
        var files = Classes.SelectMany((c, i) => Directory.GetFiles(Path.Combine(data, "hymenoptera", split, c))
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png")
            .Order(StringComparer.Ordinal).Select(f => (f, i))).ToList();
        return (files.Select(f => f.f).ToList(), files.Select(f => f.i).ToArray());
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(2), logOutput: true))
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(3)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithStrategy(BenchmarkDotNet.Engines.RunStrategy.Monitoring));
    }
}
