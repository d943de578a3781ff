using System.Globalization;
using System.Text.RegularExpressions;

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
        if (PyTorchPeer.Find("train_mnist.py") is not { } peer)
        {
            return 1;
        }

        var engine = new MnistTrainingBenchmarks { Network = "MnistCnn", Threads = threads, Prefetch = false };
        engine.Setup();
        engine.Epoch();
        List<double> ratios;
        try
        {
            ratios = PyTorchPeer.Interleave(rounds, () => Engine(engine), () => Peer(peer, threads), (round, ours, theirs) =>
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ROUND {round}: ours {ours:F2} s, PyTorch {theirs:F2} s per epoch, ratio {ours / theirs:F2}")));
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
    private static double Peer(PyTorchPeer peer, int threads) =>
        peer.Time(EpochTimes(), 2, "--threads", threads.ToString(CultureInfo.InvariantCulture), "--epochs", "2");

    [GeneratedRegex(@"EPOCH_S ([0-9.]+) ([0-9.]+)")]
    private static partial Regex EpochTimes();
}
