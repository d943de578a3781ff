using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Rekognition.Benchmarks.Inference;

/// <summary>
/// A short job run inside the benchmark's own process: the inference benchmarks need no generated project,
/// whose build times out on a busy two-core machine.
/// </summary>
public sealed class InProcessShortConfig : ManualConfig
{
    public InProcessShortConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(12));
    }
}
