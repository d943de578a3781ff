using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Rekognition.Benchmarks.Inference;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// The classic MNIST CNN's training epoch (8,000 digits, batch 64, Adam 1e-3) against its PyTorch peer
/// (shared/peers/train_mnist.py), interleaved: each round runs the peer (a warm-up epoch and a timed one, in its own
/// process) and one more epoch of this engine's run (in this process, after one warm-up epoch) back to back,
/// alternating which goes first. Both get the same threads: ONNX Runtime's intra-op count is torch's thread count,
/// and batches are filled between steps on the calling thread (no loader thread beside the runtime's), as the peer
/// indexes its batches on its main thread:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- mnist-vs-pytorch [rounds] [threads]
/// The peer runs under REKOGNITION_PEER_PYTHON, /usr/bin/python3 by default (Debian's python3-torch).
/// </summary>
internal static partial class MnistVersusPyTorchRun
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 6;
        var threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var python = Environment.GetEnvironmentVariable("REKOGNITION_PEER_PYTHON") is { Length: > 0 } configured ? configured : "/usr/bin/python3";
        var peer = Path.GetFullPath(Path.Combine(InferenceData.Root, "..", "peers", "train_mnist.py"));
        if (!File.Exists(peer))
        {
            Console.Error.WriteLine($"The PyTorch peer {peer} was not found.");
            return 1;
        }

        var engine = new MnistTrainingBenchmarks { Network = "MnistCnn", Threads = threads, Prefetch = false };
        engine.Setup();
        engine.Epoch();
        var ratios = new List<double>();
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                double ours, theirs;
                if (round % 2 == 0)
                {
                    theirs = Peer(python, peer, threads);
                    ours = Engine(engine);
                }
                else
                {
                    ours = Engine(engine);
                    theirs = Peer(python, peer, threads);
                }

                ratios.Add(ours / theirs);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ROUND {round + 1}: ours {ours:F2} s, PyTorch {theirs:F2} s per epoch, ratio {ours / theirs:F2}"));
            }
        }
        finally
        {
            engine.Cleanup();
        }

        var median = ResNetStepBenchmarks.Median(ratios);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MNIST vs PyTorch ({threads} threads): median ratio {median:F2} over {rounds} rounds (range {ratios.Min():F2}-{ratios.Max():F2}; {ratios.Count(r => r < 1)} of {rounds} under 1.0)"));
        return 0;
    }

    private static double Engine(MnistTrainingBenchmarks engine)
    {
        engine.Epoch();
        return engine.LastEpoch.TotalSeconds;
    }

    /// <summary>The peer's second (timed) epoch, from its EPOCH_S line; the first is its warm-up.</summary>
    private static double Peer(string python, string script, int threads)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { script, "--threads", threads.ToString(CultureInfo.InvariantCulture), "--epochs", "2" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{python} did not start.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var match = EpochTimes().Match(output);
        if (process.ExitCode != 0 || !match.Success)
        {
            throw new InvalidOperationException($"The PyTorch peer failed (exit {process.ExitCode}): {errors.Result}");
        }

        return double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"EPOCH_S ([0-9.]+) ([0-9.]+)")]
    private static partial Regex EpochTimes();
}
