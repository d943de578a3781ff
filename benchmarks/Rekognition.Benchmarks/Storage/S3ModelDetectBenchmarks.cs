using Amazon.S3;
using Amazon.S3.Model;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Rekognition.Benchmarks.Inference;
using Rekognition.Core;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Onnx.Hosting;
using Rekognition.Onnx.Runtime;

namespace Rekognition.Benchmarks.Storage;

/// <summary>
/// DetectCustomLabels (MobileNetV2 int8, one unit, 2 intra-op threads) on a host whose model package is in the local
/// folder, against one whose package is in S3 (loaded through the local read-through cache when it started). Target: the
/// same per-call cost; the model is never fetched per call. Needs an S3-compatible server in REKOGNITION_TEST_S3_URL
/// (<c>source .ci/s3.sh</c> starts s3rver 3.7; credentials S3RVER/S3RVER).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortConfig))]
public class S3ModelDetectBenchmarks
{
    private string _root = null!;
    private BenchmarkStore _store = null!;
    private DetectCustomLabelsRequest _request = null!;

    /// <summary>Where the host's artifacts are.</summary>
    [Params(ArtifactsProvider.Local, ArtifactsProvider.S3)]
    public ArtifactsProvider Artifacts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "rekognition-bench-s3-" + Guid.NewGuid().ToString("N")[..8]);
        var package = ModelPackage.Write(Path.Combine(_root, "package"), InferenceData.MobileNetV2, InferenceData.MobileNetMetadata());
        var runtime = new OnnxModelRuntime(new OnnxRuntimeOptions { IntraOpThreads = 2, AllowThreadSpinning = false });
        _store = Artifacts == ArtifactsProvider.S3
            ? new BenchmarkStore(Path.Combine(_root, "store"), runtime, ConfigureS3(CreateBucket()), s => s.AddRekognitionS3())
            : new BenchmarkStore(Path.Combine(_root, "store"), runtime);

        var version = _store.ImportAndStart(package);
        _request = new DetectCustomLabelsRequest { ProjectVersionArn = version, Image = new Image { Bytes = new MemoryStream(InferenceData.AntPhoto()) }, MaxResults = 5 };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Description = "DetectCustomLabels (model package in the chosen artifacts store)")]
    public int Detect() => _store.Client.DetectCustomLabelsAsync(_request).GetAwaiter().GetResult().CustomLabels.Count;

    private static string Url =>
        Environment.GetEnvironmentVariable("REKOGNITION_TEST_S3_URL") is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException("REKOGNITION_TEST_S3_URL is not set: start an S3-compatible server with `source .ci/s3.sh` (s3rver 3.7) first.");

    private static Action<RekognitionOptions> ConfigureS3(string bucket) => o =>
    {
        o.S3 = new S3Options { ServiceUrl = Url, ForcePathStyle = true, DisableChunkEncoding = true };
        o.Artifacts.Provider = ArtifactsProvider.S3;
        o.Artifacts.Bucket = bucket;
    };

    private static string CreateBucket()
    {
        // s3rver's fixed credentials, through the SDK's standard chain as a host would have them.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "S3RVER");
        var bucket = "bench-" + Guid.NewGuid().ToString("N")[..12];
        using var client = new AmazonS3Client(new AmazonS3Config { ServiceURL = Url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }).GetAwaiter().GetResult();
        return bucket;
    }
}
