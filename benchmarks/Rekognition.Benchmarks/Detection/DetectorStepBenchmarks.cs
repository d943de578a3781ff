using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Rekognition.Training.Detection;
using Rekognition.Training.Export;
using Rekognition.Training.Graphs;
using Rekognition.Training.Optimizers;
using Rekognition.Training.Runtime;

namespace Rekognition.Benchmarks.Detection;

/// <summary>
/// The built-in detector's raw speed, the counterpart of benchmarks/peers/detector_peer.py (the same network in
/// PyTorch): TrainingStep is one step at batch 16, input 256, 3 labels, 2 threads — the training graph's
/// session run (forward, loss, backward) plus an AdamW update (lr 2e-3, weight decay 5e-4), on random images
/// and random valid targets (about 2 % of locations positive, boxes inside the image); InferenceImage is one
/// image through the exported model (timed over 20 per iteration) with its decoding (boxes and scores) in ONNX Runtime, 2 threads.
/// Setup prints the trainable parameter count ("DETECTOR params N") to compare with the peer's.
/// </summary>
/// <remarks>Run: dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- --filter '*DetectorStep*'.</remarks>
[Config(typeof(Config))]
public class DetectorStepBenchmarks
{
    private const int Labels = 3;
    private const int Batch = 16;
    private const int Size = 256;
    private const float LearningRate = 2e-3f;
    private const int ImagesPerIteration = 20;

    private TrainingGraphSession _session = null!;
    private AdamWOptimizer _optimizer = null!;
    private float[][] _parameters = null!;
    private float[][] _gradients = null!;
    private InferenceSession _inference = null!;
    private RunOptions _runOptions = null!;
    private OrtValue[] _inferenceInputs = null!;
    private string[] _inferenceInputNames = null!;
    private string[] _inferenceOutputNames = null!;

    /// <summary>ONNX Runtime's intra-op threads (the peer's torch threads).</summary>
    internal int Threads { get; init; } = 2;

    /// <summary>Whether the training graph uses the C# kernels where they apply (the trainer's default) or ONNX ops only.</summary>
    internal bool CustomKernels { get; init; } = true;

    /// <summary>When set, ONNX Runtime profiles the training session into a JSON file starting with this path.</summary>
    internal string? ProfilePrefix { get; init; }

    /// <summary>Ends the training session's profiling and returns its JSON file.</summary>
    internal string EndProfiling() => _session.EndProfiling();

    [GlobalSetup]
    public void Setup()
    {
        var (network, trainable, grid) = DetectorNetwork.Build(Labels);
        var graph = TrainingGraphBuilder.Build(network, trainable, DetectorNetwork.RawOutput, new DetectionLoss(grid, Labels),
            new Dictionary<string, long[]> { [DetectorNetwork.Input] = new long[] { Batch, 3, Size, Size } }, customKernels: CustomKernels);
        _session = new TrainingGraphSession(graph, Threads, profilePrefix: ProfilePrefix);
        var sizes = graph.Parameters.Select(p => p.InitialValues.Length).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"DETECTOR params {sizes.Sum()} ({sizes.Count} tensors), locations {grid.Count}"));
        _optimizer = new AdamWOptimizer(sizes, weightDecay: 5e-4f);
        _parameters = Enumerable.Range(0, sizes.Count).Select(_session.Parameter).ToArray();
        _gradients = Enumerable.Range(0, sizes.Count).Select(_session.Gradient).ToArray();

        var random = new Random(1);
        FillImage(_session.Input(DetectorNetwork.Input), random);
        FillTargets(grid, random);

        // Inference: the exported model (batch norms folded) with its decoding, as a trained package ships it.
        var exported = DetectorExport.AppendDecoding(InferenceGraphExporter.Export(network, new Dictionary<string, float[]>()), grid, Labels);
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = Threads,
            InterOpNumThreads = 1,
        };
        _inference = new InferenceSession(exported.ToByteArray(), options);
        _runOptions = new RunOptions();
        var image = GC.AllocateArray<float>(3 * Size * Size, pinned: true);
        FillImage(image, random);
        _inferenceInputs = new[] { OrtValue.CreateTensorValueFromMemory(image, new long[] { 1, 3, Size, Size }) };
        _inferenceInputNames = new[] { DetectorNetwork.Input };
        _inferenceOutputNames = new[] { DetectorExport.BoxesOutput, DetectorExport.ScoresOutput };
    }

    [Benchmark]
    public float TrainingStep()
    {
        var loss = _session.Run();
        _optimizer.Step(_parameters, _gradients, LearningRate);
        return loss;
    }

    // Each iteration times ImagesPerIteration single-image runs (a few ms each) and reports the mean per image.
    [Benchmark(OperationsPerInvoke = ImagesPerIteration)]
    public int InferenceImage()
    {
        var count = 0;
        for (var i = 0; i < ImagesPerIteration; i++)
        {
            using var outputs = _inference.Run(_runOptions, _inferenceInputNames, _inferenceInputs, _inferenceOutputNames);
            count += outputs.Count;
        }

        return count;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var v in _inferenceInputs)
        {
            v.Dispose();
        }

        _inference.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    // Normalised pixels: roughly standard normal (the mean of four uniforms, rescaled).
    private static void FillImage(float[] image, Random random)
    {
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = (float)((random.NextDouble() + random.NextDouble() + random.NextDouble() + random.NextDouble() - 2) * 1.7);
        }
    }

    // About 2 % of each image's locations positive, each with a box inside the image around its cell and a one-hot label.
    private void FillTargets(DetectionGrid grid, Random random)
    {
        var positive = _session.Input(DetectionLoss.PositiveInput);
        var boxes = _session.Input(DetectionLoss.BoxesInput);
        var classes = _session.Input(DetectionLoss.ClassesInput);
        var offsets = grid.CellOffsets();
        var strides = grid.LocationStrides();
        var count = 0;
        for (var n = 0; n < Batch; n++)
        {
            for (var l = 0; l < grid.Count; l++)
            {
                if (random.NextDouble() >= 0.02)
                {
                    continue;
                }

                var i = (n * grid.Count) + l;
                positive[i] = 1;
                classes[(i * Labels) + random.Next(Labels)] = 1;
                var s = strides[l];
                var (cx, cy) = ((offsets[2 * l] + 0.5f) * s, (offsets[(2 * l) + 1] + 0.5f) * s);
                var (w, h) = (s * (1 + (3 * (float)random.NextDouble())), s * (1 + (3 * (float)random.NextDouble())));
                boxes[4 * i] = Math.Clamp(cx - (w / 2), 0, Size - 1);
                boxes[(4 * i) + 1] = Math.Clamp(cy - (h / 2), 0, Size - 1);
                boxes[(4 * i) + 2] = Math.Clamp(cx + (w / 2), boxes[4 * i] + 1, Size);
                boxes[(4 * i) + 3] = Math.Clamp(cy + (h / 2), boxes[(4 * i) + 1] + 1, Size);
                count++;
            }
        }

        _session.Input(DetectionLoss.NormalizerInput)[0] = 1f / Math.Max(count, 1);
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true))
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(10)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithStrategy(BenchmarkDotNet.Engines.RunStrategy.Monitoring));
    }
}
