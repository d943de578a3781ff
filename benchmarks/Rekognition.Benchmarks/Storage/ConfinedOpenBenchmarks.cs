using BenchmarkDotNet.Attributes;
using Rekognition.Benchmarks.Inference;
using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Benchmarks.Storage;

/// <summary>
/// What confining an open beneath the buckets root costs against a plain open, for a 4 KB object three folders
/// deep (the per-image cost of validation, DetectCustomLabels on an S3Object and training reads): open, read, close.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortConfig))]
public class ConfinedOpenBenchmarks
{
    private const string Key = "bucket/a/b/c/object.png";
    private readonly byte[] _buffer = new byte[4096];
    private string _root = null!;
    private ConfinedDirectory _openat2 = null!;
    private ConfinedDirectory _openThenCheck = null!;
    private ConfinedDirectory _pathCheck = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "rk-bench-confined", Guid.NewGuid().ToString("N"));
        var file = Path.Combine(_root, Key);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, new byte[4096]);
        _openat2 = new ConfinedDirectory(_root, ConfinementMode.Openat2);
        _openThenCheck = new ConfinedDirectory(_root, ConfinementMode.OpenThenCheck);
        _pathCheck = new ConfinedDirectory(_root, ConfinementMode.PathCheck);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Baseline = true, Description = "plain FileStream")]
    public int Plain()
    {
        using var stream = new FileStream(Path.Combine(_root, Key), FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        return stream.Read(_buffer);
    }

    [Benchmark(Description = "openat2 RESOLVE_BENEATH")]
    public int Openat2() => Read(_openat2);

    [Benchmark(Description = "open, then /proc/self/fd check")]
    public int OpenThenCheck() => Read(_openThenCheck);

    [Benchmark(Description = "open, then uncached link walk")]
    public int PathCheck() => Read(_pathCheck);

    private int Read(ConfinedDirectory directory)
    {
        using var stream = directory.OpenRead(Key, out _, bufferSize: 1) ?? throw new InvalidOperationException("not opened");
        return stream.Read(_buffer);
    }
}
