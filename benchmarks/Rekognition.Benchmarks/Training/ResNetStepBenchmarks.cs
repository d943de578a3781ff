using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Rekognition.Training.Backbones;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Optimizers;
using Rekognition.Training.Runtime;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// One training step of the small ResNet (BuiltInNetworks.SmallResNet: widths 32-64-128-256, BatchNorm) on
/// synthetic 64×64 RGB input, 10 classes, batch 32, Adam 1e-3, 2 threads: forward, loss, backward through the
/// training graph and the optimizer step, per invocation, as the PyTorch peer (shared/peers/resnet_step.py,
/// 3 warm-up + 10 timed steps) measures it. The median of the timed steps is printed at cleanup. Run the peer
/// beside it in the same shell session and compare the two medians:
/// dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- --filter '*ResNetStep*'
/// </summary>
[Config(typeof(Config))]
public class ResNetStepBenchmarks
{
    private const int Batch = 32;
    private const int Size = 64;
    private const int Classes = 10;
    private readonly List<double> _steps = new();
    private TrainingGraphSession _session = null!;
    private Optimizer _optimizer = null!;
    private float[][] _parameters = null!;
    private float[][] _gradients = null!;
    private float _loss;

    /// <summary>Whether the training graph may use the C# custom kernels (false: standard ONNX ops only).</summary>
    internal bool CustomKernels { get; init; } = true;

    /// <summary>When set, ONNX Runtime profiles every step into a file with this prefix (see <see cref="EndProfiling"/>).</summary>
    internal string? ProfilePrefix { get; init; }

    /// <summary>Stops profiling and returns the profile's file.</summary>
    internal string EndProfiling() => _session.EndProfiling();

    [GlobalSetup]
    public void Setup()
    {
        var (network, trainable) = BuiltInNetworks.SmallResNet(3, Size, Classes);
        var graph = TrainingGraphBuilder.Build(network, trainable, BuiltInNetworks.Output, new SoftmaxCrossEntropyLoss(),
            new Dictionary<string, long[]> { [BuiltInNetworks.Input] = new long[] { Batch, 3, Size, Size } }, customKernels: CustomKernels);
        _session = new TrainingGraphSession(graph, threads: 2, profilePrefix: ProfilePrefix);
        _optimizer = new AdamWOptimizer(graph.Parameters.Select(p => p.InitialValues.Length).ToList(), weightDecay: 0f);
        _parameters = graph.Parameters.Select((_, i) => _session.Parameter(i)).ToArray();
        _gradients = graph.Parameters.Select((_, i) => _session.Gradient(i)).ToArray();
        var random = new Random(0);
        var input = _session.Input(graph.DataInputs[0]);
        for (var i = 0; i < input.Length; i++)
        {
            // Standard normal (Box-Muller), as torch.randn.
            input[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        var labels = _session.Int64Input(SoftmaxCrossEntropyLoss.LabelsInput);
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = random.Next(Classes);
        }

        var parameters = graph.Parameters.Sum(p => p.InitialValues.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESNET trainable parameters {parameters}, training graph nodes {graph.Model.Graph.Node.Count}"));
    }

    [Benchmark]
    public void TrainingStep()
    {
        var clock = Stopwatch.StartNew();
        Step();
        _steps.Add(clock.Elapsed.TotalSeconds);
    }

    /// <summary>One training step, untimed: forward, loss, backward and the optimizer's update.</summary>
    internal void Step()
    {
        _loss = _session.Run();
        _optimizer.Step(_parameters, _gradients, 1e-3f);
    }

    /// <summary>The median of <paramref name="values"/> (NaN when there are none).</summary>
    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Releases the training session.</summary>
    internal void Close() => _session.Dispose();

    [GlobalCleanup]
    public void Cleanup()
    {
        var median = Median(_steps.Skip(3));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESNET median_train_step_s={median:F3} steps {string.Join(' ', _steps.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))} last loss {_loss:F4}"));
        Close();
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(1), logOutput: true))
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithStrategy(BenchmarkDotNet.Engines.RunStrategy.Monitoring));
    }
}
