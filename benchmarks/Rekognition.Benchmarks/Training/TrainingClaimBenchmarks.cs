using BenchmarkDotNet.Attributes;
using Rekognition.Benchmarks.Inference;
using Rekognition.Core;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Training;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// From CreateProjectVersion on an api host (no train role) to an idle worker host (train role only, on the same store,
/// default poll interval) having claimed the training job and begun it: the version's StatusMessage leaves "waiting for a
/// host with the train role". Target: under 1 s. The worker's trainer fails at once, so it is idle again for the next call.
/// </summary>
[Config(typeof(InProcessShortConfig))]
public class TrainingClaimBenchmarks
{
    private string _root = null!;
    private RekognitionCustomLabelsClient _api = null!;
    private RekognitionCustomLabelsClient _worker = null!;
    private string _project = null!;
    private int _versions;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("rk-claim-bench-").FullName;
        var bucket = Directory.CreateDirectory(Path.Combine(_root, "buckets", "media")).FullName;
        var lines = Enumerable.Range(0, 6).Select(i =>
            $$$"""{"source-ref":"s3://media/{{{i}}}.png","c":0,"c-metadata":{"class-name":"{{{(i % 2 == 0 ? "a" : "b")}}}","confidence":1,"type":"groundtruth/image-classification","job-name":"labeling-job/c","human-annotated":"yes","creation-date":"2024-01-01T00:00:00"}}""");
        File.WriteAllLines(Path.Combine(bucket, "train.manifest"), lines);

        _api = new RekognitionCustomLabelsClient(Microsoft.Extensions.Options.Options.Create(Options("api", "api,import")), modelTrainer: new FailingTrainer());
        _worker = new RekognitionCustomLabelsClient(Microsoft.Extensions.Options.Options.Create(Options("worker", "train")), modelTrainer: new FailingTrainer());
        _project = _api.CreateProjectAsync(new CreateProjectRequest { ProjectName = "claim" }).GetAwaiter().GetResult().ProjectArn!;
        _api.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = _project,
            DatasetType = DatasetType.TRAIN,
            DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "media", Name = "train.manifest" } } },
        }).GetAwaiter().GetResult();
        _api.WhenIdleAsync().GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void WaitForTheWorker() => _worker.WhenIdleAsync().GetAwaiter().GetResult();

    [Benchmark]
    public async Task<string> CreateProjectVersion_UntilAnIdleWorkerTrains()
    {
        var name = $"v{++_versions}";
        await _api.CreateProjectVersionAsync(new CreateProjectVersionRequest
        {
            ProjectArn = _project,
            VersionName = name,
            OutputConfig = new OutputConfig { S3Bucket = "media", S3KeyPrefix = "out/" },
        });
        while (true)
        {
            var version = (await _api.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = _project, VersionNames = { name } }))
                .ProjectVersionDescriptions.Single();
            if (version.Status != ProjectVersionStatus.TRAINING_IN_PROGRESS || !version.StatusMessage!.Contains("Waiting for a host", StringComparison.Ordinal))
            {
                return version.StatusMessage!;
            }

            await Task.Delay(1);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _worker.Dispose();
        _api.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private RekognitionOptions Options(string host, string roles) => new()
    {
        StoreRoot = Path.Combine(_root, "store"),
        BucketsRoot = Path.Combine(_root, "buckets"),
        CheckImages = false,
        Host = new RekognitionHostOptions { Id = host, Roles = roles },
    };

    private sealed class FailingTrainer : IModelTrainer
    {
        public Task<ModelPackage> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken) =>
            throw new InvalidDataException("The benchmark's worker trains nothing.");
    }
}
