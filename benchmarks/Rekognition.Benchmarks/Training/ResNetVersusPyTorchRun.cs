using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// The small-ResNet training step against its PyTorch peer (shared/peers/resnet_step.py), interleaved: each round
/// runs the peer (3 warm-up + 20 timed steps, in its own process) and this engine's step (the same count, in this
/// process) back to back, alternating which goes first, with the same threads (2) and batch (32), and prints each round's
/// medians and ratio with the load other processes put on the machine during each side, then the median ratio over all
/// rounds and over the quiet ones. On a machine whose speed drifts between runs, only interleaved rounds give a fair ratio:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- resnet-vs-pytorch [rounds] [custom|standard|profile]
/// (custom, the default: the training graph uses the C# kernels where they apply; standard: ONNX ops only; profile:
/// one round of ours with ONNX Runtime's profiler on, printing the op types and nodes that take the time).
/// The peer runs under REKOGNITION_PEER_PYTHON, /usr/bin/python3 by default (Debian's python3-torch).
/// </summary>
internal static partial class ResNetVersusPyTorchRun
{
    private const int Warmup = 3;
    private const int Steps = 20;

    // Other processes' load (cores) under which a round counts as quiet: PyTorch's spinning OpenMP workers lose several
    // times their step time beside a few busy cores, ONNX Runtime's sleeping ones far less, so loaded rounds favour ours.
    private const double QuietCores = 0.25;

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
        var quiet = new List<double>();
        try
        {
            var (ourLoad, theirLoad) = (0.0, 0.0);
            ratios = PyTorchPeer.Interleave(rounds, () =>
            {
                (var median, ourLoad) = ForeignLoad.During(() => Engine(engine));
                return median;
            }, () =>
            {
                var output = Peer(peer);
                theirLoad = PyTorchPeer.Number(output, ForeignCores(), 1);
                return PyTorchPeer.Number(output, MedianStep(), 1);
            }, (round, ours, theirs) =>
            {
                if (ourLoad < QuietCores && theirLoad < QuietCores)
                {
                    quiet.Add(ours / theirs);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ROUND {round}: ours {ours:F3} s, PyTorch {theirs:F3} s per step, ratio {ours / theirs:F2} (other processes' load: {ourLoad:F2} cores during ours, {theirLoad:F2} during PyTorch's)"));
            });
        }
        finally
        {
            engine.Close();
        }

        var median = ResNetStepBenchmarks.Median(ratios);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESNET ({(custom ? "custom kernels" : "standard ops")}) vs PyTorch: median ratio {median:F2} over {rounds} rounds (range {ratios.Min():F2}-{ratios.Max():F2}; {ratios.Count(r => r <= 1)} of {rounds} at most 1.0)"));
        Console.WriteLine(quiet.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"RESNET no quiet round (other processes' load under {QuietCores} cores on both sides): the ratios above are not a fair comparison")
            : string.Create(CultureInfo.InvariantCulture, $"RESNET quiet rounds (other processes' load under {QuietCores} cores on both sides): {quiet.Count} of {rounds}, median ratio {ResNetStepBenchmarks.Median(quiet):F2} (range {quiet.Min():F2}-{quiet.Max():F2})"));
        return 0;
    }

    /// <summary>One profiled round of this engine's steps (custom kernels): the time of each op type and the largest nodes.</summary>
    private static int Profile()
    {
        var engine = new ResNetStepBenchmarks { ProfilePrefix = Path.Combine(Path.GetTempPath(), "rekognition-resnet-profile") };
        return OrtProfileSummary.Profile(engine.Setup, () => Engine(engine), engine.EndProfiling, engine.Close, Warmup + Steps);
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

    /// <summary>The peer's output: its median step and the other processes' load during its steps are on its RESULT line.</summary>
    private static string Peer(PyTorchPeer peer) =>
        peer.Run("--threads", "2", "--batch", "32", "--steps", Steps.ToString(CultureInfo.InvariantCulture), "--warmup", Warmup.ToString(CultureInfo.InvariantCulture));

    [GeneratedRegex(@"median_train_step_s=([0-9.]+)")]
    private static partial Regex MedianStep();

    [GeneratedRegex(@"foreign_cores_during_train=([0-9.]+)")]
    private static partial Regex ForeignCores();
}
