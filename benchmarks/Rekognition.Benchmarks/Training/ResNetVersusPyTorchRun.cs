using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// The small-ResNet training step against its PyTorch peer (shared/peers/resnet_step.py), interleaved: each round
/// runs the peer (3 warm-up + 20 timed steps, in its own process) and this engine's step (the same count, in this
/// process) back to back, alternating which goes first, and prints each round's medians and ratio, then the median
/// ratio. On a machine whose speed drifts between runs, only interleaved rounds give a fair ratio:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- resnet-vs-pytorch [rounds] [custom|standard|profile]
/// (custom, the default: the training graph uses the C# kernels where they apply; standard: ONNX ops only; profile:
/// one round of ours with ONNX Runtime's profiler on, printing the op types and nodes that take the time).
/// The peer runs under REKOGNITION_PEER_PYTHON, /usr/bin/python3 by default (Debian's python3-torch).
/// </summary>
internal static partial class ResNetVersusPyTorchRun
{
    private const int Warmup = 3;
    private const int Steps = 20;

    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 6;
        if (args.Length > 1 && args[1] == "profile")
        {
            return Profile();
        }

        if (PyTorchPeer.Find("resnet_step.py") is not { } peer)
        {
            return 1;
        }

        var custom = args.Length < 2 || args[1] != "standard";
        var engine = new ResNetStepBenchmarks { CustomKernels = custom };
        engine.Setup();
        List<double> ratios;
        try
        {
            ratios = PyTorchPeer.Interleave(rounds, () => Engine(engine), () => Peer(peer), (round, ours, theirs) =>
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ROUND {round}: ours {ours:F3} s, PyTorch {theirs:F3} s per step, ratio {ours / theirs:F2}")));
        }
        finally
        {
            engine.Close();
        }

        var median = ResNetStepBenchmarks.Median(ratios);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESNET ({(custom ? "custom kernels" : "standard ops")}) vs PyTorch: median ratio {median:F2} over {rounds} rounds (range {ratios.Min():F2}-{ratios.Max():F2}; {ratios.Count(r => r <= 1)} of {rounds} at most 1.0)"));
        return 0;
    }

    /// <summary>One profiled round of this engine's steps (custom kernels): the time of each op type and the largest nodes.</summary>
    private static int Profile()
    {
        var engine = new ResNetStepBenchmarks { ProfilePrefix = Path.Combine(Path.GetTempPath(), "rekognition-resnet-profile") };
        engine.Setup();
        string file;
        try
        {
            Engine(engine);
            file = engine.EndProfiling();
        }
        finally
        {
            engine.Close();
        }

        OrtProfileSummary.Print(file, Warmup + Steps);
        return 0;
    }

    /// <summary>The median of this engine's timed steps, after the warm-up steps.</summary>
    private static double Engine(ResNetStepBenchmarks engine)
    {
        var times = new List<double>();
        for (var i = 0; i < Warmup + Steps; i++)
        {
            var clock = Stopwatch.StartNew();
            engine.Step();
            if (i >= Warmup)
            {
                times.Add(clock.Elapsed.TotalSeconds);
            }
        }

        return ResNetStepBenchmarks.Median(times);
    }

    /// <summary>The peer's median step, from its RESULT line.</summary>
    private static double Peer(PyTorchPeer peer) =>
        peer.Time(MedianStep(), 1, "--threads", "2", "--batch", "32", "--steps", Steps.ToString(CultureInfo.InvariantCulture), "--warmup", Warmup.ToString(CultureInfo.InvariantCulture));

    [GeneratedRegex(@"median_train_step_s=([0-9.]+)")]
    private static partial Regex MedianStep();
}
