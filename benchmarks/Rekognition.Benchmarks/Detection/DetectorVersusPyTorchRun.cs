using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Rekognition.Benchmarks.Training;

namespace Rekognition.Benchmarks.Detection;

/// <summary>
/// The built-in detector's training step (<see cref="DetectorStepBenchmarks.TrainingStep"/>: batch 16, input 256, 3
/// labels, AdamW) against its PyTorch peer (benchmarks/peers/detector_peer.py, the same network, loss and optimizer),
/// interleaved: each round runs the peer (3 warm-up + 20 timed steps, in its own process) and this engine (the same
/// count, in this process) back to back, alternating which goes first; both get the same threads (ONNX Runtime's
/// intra-op count is torch's thread count). Prints each round's medians and ratio, then the median ratio:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- detector-vs-pytorch [rounds] [threads] [custom|standard|profile]
/// custom (default): the C# training kernels where they apply; standard: ONNX ops only; profile: one round of ours
/// with ONNX Runtime's profiler on, printing the op types that take the time. What differs from the peer: the random
/// images and targets come from different generators (same shapes and about 2 % positive locations each).
/// The peer runs under REKOGNITION_PEER_PYTHON, /usr/bin/python3 by default (Debian's python3-torch).
/// </summary>
internal static partial class DetectorVersusPyTorchRun
{
    private const int Warmup = 3;
    private const int Steps = 20;

    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 6;
        var threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var mode = args.Length > 2 ? args[2] : "custom";
        if (mode == "profile")
        {
            return Profile(threads);
        }

        if (PyTorchPeer.At(PeerScript()) is not { } peer)
        {
            return 1;
        }

        var engine = new DetectorStepBenchmarks { Threads = threads, CustomKernels = mode != "standard" };
        engine.Setup();
        List<double> ratios;
        try
        {
            ratios = PyTorchPeer.Interleave(rounds, () => Engine(engine), () => Peer(peer, threads), (round, ours, theirs) =>
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ROUND {round}: ours {ours * 1000:F0} ms, PyTorch {theirs * 1000:F0} ms per step, ratio {ours / theirs:F2}")));
        }
        finally
        {
            engine.Cleanup();
        }

        var median = ResNetStepBenchmarks.Median(ratios);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"DETECTOR ({(mode == "standard" ? "standard ops" : "custom kernels")}, {threads} threads) vs PyTorch: median ratio {median:F2} over {rounds} rounds (range {ratios.Min():F2}-{ratios.Max():F2}; {ratios.Count(r => r <= 0.6)} of {rounds} at most 0.6)"));
        return 0;
    }

    /// <summary>benchmarks/peers/detector_peer.py, found above the benchmark's folder.</summary>
    private static string PeerScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "benchmarks", "peers", "detector_peer.py");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.GetFullPath(Path.Combine("benchmarks", "peers", "detector_peer.py"));
    }

    /// <summary>The median of this engine's timed steps, after the warm-up steps.</summary>
    private static double Engine(DetectorStepBenchmarks engine)
    {
        var times = new List<double>();
        for (var i = 0; i < Warmup + Steps; i++)
        {
            var clock = Stopwatch.StartNew();
            engine.TrainingStep();
            if (i >= Warmup)
            {
                times.Add(clock.Elapsed.TotalSeconds);
            }
        }

        return ResNetStepBenchmarks.Median(times);
    }

    /// <summary>The peer's median training step, from its train_step_ms line (its inference part is cut to one image).</summary>
    private static double Peer(PyTorchPeer peer, int threads) =>
        peer.Time(MedianStep(), 1, "--threads", threads.ToString(CultureInfo.InvariantCulture), "--steps", Steps.ToString(CultureInfo.InvariantCulture),
            "--warmup", Warmup.ToString(CultureInfo.InvariantCulture), "--images", "1") / 1000;

    /// <summary>One profiled round of this engine's steps: the total time of each op type, largest first.</summary>
    private static int Profile(int threads)
    {
        var prefix = Path.Combine(Path.GetTempPath(), "rekognition-detector-profile");
        var engine = new DetectorStepBenchmarks { Threads = threads, ProfilePrefix = prefix };
        return OrtProfileSummary.Profile(engine.Setup, () => Engine(engine), engine.EndProfiling, engine.Cleanup, Warmup + Steps);
    }

    [GeneratedRegex(@"PEER train_step_ms median=([0-9.]+)")]
    private static partial Regex MedianStep();
}
