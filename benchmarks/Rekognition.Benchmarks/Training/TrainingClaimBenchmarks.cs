using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
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
/// On SQLite, and on PostgreSQL (REKOGNITION_TEST_POSTGRES; `source .ci/postgres.sh`) polling only and with LISTEN/NOTIFY
/// (Host:ListenForChanges), so one run compares the worker woken by its poll with the worker woken by the notification.
/// </summary>
[Config(typeof(InProcessShortConfig))]
public class TrainingClaimBenchmarks
{
    /// <summary>The catalog the two hosts share and how the worker hears of the queued training.</summary>
    public enum Catalog
    {
        /// <summary>SQLite: the worker's poll finds it.</summary>
        Sqlite,

        /// <summary>PostgreSQL with notifications off: the worker's poll finds it.</summary>
        PostgreSqlPolling,

        /// <summary>PostgreSQL with LISTEN/NOTIFY: the notification wakes the worker.</summary>
        PostgreSqlNotified,
    }

    private string _root = null!;
    private string? _schema;
    private ServiceProvider _apiHost = null!;
    private ServiceProvider _workerHost = null!;
    private RekognitionCustomLabelsClient _api = null!;
    private RekognitionCustomLabelsClient _worker = null!;
    private string _project = null!;
    private int _versions;

    /// <summary>The case.</summary>
    [Params(Catalog.Sqlite, Catalog.PostgreSqlPolling, Catalog.PostgreSqlNotified)]
    public Catalog On { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("rk-claim-bench-").FullName;
        var bucket = Directory.CreateDirectory(Path.Combine(_root, "buckets", "media")).FullName;
        var lines = Enumerable.Range(0, 6).Select(i =>
            $$$"""{"source-ref":"s3://media/{{{i}}}.png","c":0,"c-metadata":{"class-name":"{{{(i % 2 == 0 ? "a" : "b")}}}","confidence":1,"type":"groundtruth/image-classification","job-name":"labeling-job/c","human-annotated":"yes","creation-date":"2024-01-01T00:00:00"}}""");
        File.WriteAllLines(Path.Combine(bucket, "train.manifest"), lines);

        string? connectionString = null;
        if (On != Catalog.Sqlite)
        {
            var server = Environment.GetEnvironmentVariable("REKOGNITION_TEST_POSTGRES")
                         ?? throw new InvalidOperationException("REKOGNITION_TEST_POSTGRES is not set: start a PostgreSQL with `source .ci/postgres.sh` first.");
            _schema = "rk_bench_" + Guid.NewGuid().ToString("N");
            connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = $"{_schema},public" }.ConnectionString;
        }

        _apiHost = Host("api", "api,import", connectionString);
        _api = _apiHost.GetRequiredService<RekognitionCustomLabelsClient>();
        _workerHost = Host("worker", "train", connectionString);
        _worker = _workerHost.GetRequiredService<RekognitionCustomLabelsClient>();
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
        _workerHost.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _apiHost.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
        if (_schema is not null)
        {
            using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("REKOGNITION_TEST_POSTGRES") + ";Pooling=false");
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
            drop.ExecuteNonQuery();
        }
    }

    // One host of the store (a process of its own, in effect): its own container on the shared catalog, default poll interval.
    private ServiceProvider Host(string id, string roles, string? connectionString) => new ServiceCollection()
        .AddSingleton<IModelTrainer>(new FailingTrainer())
        .AddRekognitionPostgreSql()
        .AddRekognitionCustomLabels(o =>
        {
            o.StoreRoot = Path.Combine(_root, "store");
            o.BucketsRoot = Path.Combine(_root, "buckets");
            o.CheckImages = false;
            o.Host = new RekognitionHostOptions { Id = id, Roles = roles, ListenForChanges = On == Catalog.PostgreSqlNotified };
            if (connectionString is not null)
            {
                o.Catalog.Provider = CatalogProvider.PostgreSQL;
                o.Catalog.ConnectionString = connectionString;
            }
        })
        .BuildServiceProvider();

    private sealed class FailingTrainer : IModelTrainer
    {
        public Task<ModelPackage> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken) =>
            throw new InvalidDataException("The benchmark's worker trains nothing.");
    }
}
