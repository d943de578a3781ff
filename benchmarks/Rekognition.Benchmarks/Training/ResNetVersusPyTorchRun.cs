using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Rekognition.Benchmarks.Inference;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// The small-ResNet training step against its PyTorch peer (shared/peers/resnet_step.py), interleaved: each round
/// runs the peer (3 warm-up + 20 timed steps, in its own process) and this engine's step (the same count, in this
/// process) back to back, alternating which goes first, and prints each round's medians and ratio, then the median
/// ratio. On a machine whose speed drifts between runs, only interleaved rounds give a fair ratio:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- resnet-vs-pytorch [rounds] [custom|standard]
/// (custom, the default: the training graph uses the C# kernels where they apply; standard: ONNX ops only).
/// The peer runs under REKOGNITION_PEER_PYTHON, /usr/bin/python3 by default (Debian's python3-torch).
/// </summary>
internal static partial class ResNetVersusPyTorchRun
{
    private const int Warmup = 3;
    private const int Steps = 20;

    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 6;
        var python = Environment.GetEnvironmentVariable("REKOGNITION_PEER_PYTHON") is { Length: > 0 } configured ? configured : "/usr/bin/python3";
        var peer = Path.GetFullPath(Path.Combine(InferenceData.Root, "..", "peers", "resnet_step.py"));
        if (!File.Exists(peer))
        {
            Console.Error.WriteLine($"The PyTorch peer {peer} was not found.");
            return 1;
        }

        var custom = args.Length < 2 || args[1] != "standard";
        var engine = new ResNetStepBenchmarks { CustomKernels = custom };
        engine.Setup();
        var ratios = new List<double>();
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                double ours, theirs;
                if (round % 2 == 0)
                {
                    theirs = Peer(python, peer);
                    ours = Engine(engine);
                }
                else
                {
                    ours = Engine(engine);
                    theirs = Peer(python, peer);
                }

                ratios.Add(ours / theirs);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ROUND {round + 1}: ours {ours:F3} s, PyTorch {theirs:F3} s per step, ratio {ours / theirs:F2}"));
            }
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
    private static double Peer(string python, string script)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { script, "--threads", "2", "--batch", "32", "--steps", Steps.ToString(CultureInfo.InvariantCulture), "--warmup", Warmup.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{python} did not start.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var match = MedianStep().Match(output);
        if (process.ExitCode != 0 || !match.Success)
        {
            throw new InvalidOperationException($"The PyTorch peer failed (exit {process.ExitCode}): {errors.Result}");
        }

        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"median_train_step_s=([0-9.]+)")]
    private static partial Regex MedianStep();
}
