using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Rekognition.Benchmarks.Datasets;

/// <summary>
/// The catalog benchmarks whose calls take milliseconds (pages, small writes): in process, as the import's (a separate
/// build of the whole graph takes longer than BenchmarkDotNet's timeout on a loaded machine), each call timed over many.
/// </summary>
internal sealed class CatalogCallConfig : ManualConfig
{
    public CatalogCallConfig() => AddJob(Job.Default
        .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: false))
        .WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(8));
}
