using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Rekognition.Core;
using Rekognition.Core.Model;

namespace Rekognition.Benchmarks.Datasets;

/// <summary>
/// Importing a 250,000-line manifest into the catalog (targets: SQLite at most 8.6 s, PostgreSQL at most twice SQLite)
/// and reading filtered ListDatasetEntries pages from a 250,000-entry dataset (target: at most 20 ms a page), on both
/// catalog providers (PostgreSQL: REKOGNITION_TEST_POSTGRES, e.g. from `source .ci/postgres.sh`).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class DatasetImportBenchmarks
{
    private string _root = null!;
    private int _run;

    [Params(CatalogProvider.Sqlite, CatalogProvider.PostgreSQL)]
    public CatalogProvider Provider { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "rk-bench-import", Guid.NewGuid().ToString("N"));
        DatasetCatalogData.WriteManifest(Path.Combine(_root, "buckets", "bench", "train.manifest"), 250_000);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    // In process: BenchmarkDotNet's separate build of the whole graph takes longer than its timeout on a loaded machine.
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() => AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: false))
            .WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithStrategy(RunStrategy.Monitoring));
    }

    [Benchmark(Description = "CreateDataset: import 250,000 lines (image checks off)")]
    public async Task<int> Import250k()
    {
        var storeRoot = Path.Combine(_root, $"store{_run++}");
        await using var catalog = BenchmarkCatalog.Open(Provider, storeRoot, Path.Combine(_root, "buckets"));
        var client = catalog.Client;
        var arn = await DatasetCatalogData.ImportAsync(client);
        var description = (await client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = arn })).DatasetDescription!;
        if (description.Status != DatasetStatus.CREATE_COMPLETE)
        {
            throw new InvalidOperationException(description.StatusMessage);
        }

        return description.DatasetStats!.TotalEntries!.Value;
    }
}

/// <summary>Filtered ListDatasetEntries pages over a 250,000-entry dataset, on both catalog providers.</summary>
[MemoryDiagnoser]
[Config(typeof(CatalogCallConfig))]
public class DatasetListingBenchmarks
{
    private string _root = null!;
    private BenchmarkCatalog _catalog = null!;
    private RekognitionCustomLabelsClient _client = null!;
    private string _arn = null!;
    private string _deepToken = null!;

    [Params(CatalogProvider.Sqlite, CatalogProvider.PostgreSQL)]
    public CatalogProvider Provider { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "rk-bench-list", Guid.NewGuid().ToString("N"));
        DatasetCatalogData.WriteManifest(Path.Combine(_root, "buckets", "bench", "train.manifest"), 250_000);
        _catalog = BenchmarkCatalog.Open(Provider, Path.Combine(_root, "store"), Path.Combine(_root, "buckets"));
        _client = _catalog.Client;
        _arn = await DatasetCatalogData.ImportAsync(_client);
        string? token = null;
        for (var i = 0; i < 1000; i++)
        {
            token = (await _client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = _arn, NextToken = token })).NextToken;
        }

        _deepToken = token!;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _catalog.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "first page, no filter")]
    public Task<ListDatasetEntriesResponse> FirstPage() => _client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = _arn });

    [Benchmark(Description = "page 1001 (token), no filter")]
    public Task<ListDatasetEntriesResponse> DeepPage() => _client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = _arn, NextToken = _deepToken });

    [Benchmark(Description = "ContainsLabels = a 1 % label")]
    public Task<ListDatasetEntriesResponse> RareLabel() => _client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = _arn, ContainsLabels = { "rare" } });

    [Benchmark(Description = "ContainsLabels = 2 common labels")]
    public Task<ListDatasetEntriesResponse> CommonLabels() => _client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = _arn, ContainsLabels = { "cat", "bird" } });

    [Benchmark(Description = "HasErrors = true (1 % of entries)")]
    public Task<ListDatasetEntriesResponse> Errors() => _client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = _arn, HasErrors = true });

    [Benchmark(Description = "Labeled = false (unlabelled 2 %)")]
    public Task<ListDatasetEntriesResponse> Unlabelled() => _client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = _arn, Labeled = false });

    [Benchmark(Description = "SourceRefContains = a folder (10 %)")]
    public Task<ListDatasetEntriesResponse> Folder() => _client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = _arn, SourceRefContains = "/folder7/" });

    [Benchmark(Description = "SourceRefContains = one image")]
    public Task<ListDatasetEntriesResponse> OneImage() => _client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = _arn, SourceRefContains = "img_0249999.jpg" });

    [Benchmark(Description = "ContainsLabels + HasErrors = false + folder")]
    public Task<ListDatasetEntriesResponse> Combined() => _client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest
    {
        DatasetArn = _arn, ContainsLabels = { "dog" }, HasErrors = false, SourceRefContains = "/folder3/",
    });

    [Benchmark(Description = "ListDatasetLabels")]
    public Task<ListDatasetLabelsResponse> Labels() => _client.ListDatasetLabelsAsync(new ListDatasetLabelsRequest { DatasetArn = _arn });
}

/// <summary>The mixed 250,000-line manifest both benchmarks use.</summary>
internal static class DatasetCatalogData
{
    public static void WriteManifest(string path, int lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        string[] common = { "cat", "dog", "bird", "fish" };
        for (var i = 0; i < lines; i++)
        {
            var sourceRef = $"s3://bench/folder{i % 10}/img_{i:D7}.jpg";
            if (i % 50 == 1)
            {
                writer.Write($"{{\"source-ref\":\"{sourceRef}\"}}\n");
            }
            else if (i % 3 == 0)
            {
                // Boxes; one line in a hundred has a box off the image (a non-terminal error).
                var left = i % 100 == 0 ? 900 : 10;
                writer.Write($"{{\"source-ref\":\"{sourceRef}\",\"bounding-box\":{{\"image_size\":[{{\"width\":800,\"height\":600,\"depth\":3}}],\"annotations\":[{{\"class_id\":0,\"left\":{left},\"top\":20,\"width\":100,\"height\":80}},{{\"class_id\":1,\"left\":300,\"top\":200,\"width\":120,\"height\":90}}]}},\"bounding-box-metadata\":{{\"objects\":[{{\"confidence\":1}},{{\"confidence\":1}}],\"class-map\":{{\"0\":\"{common[i % 4]}\",\"1\":\"{common[(i + 1) % 4]}\"}},\"type\":\"groundtruth/object-detection\",\"human-annotated\":\"yes\",\"creation-date\":\"2024-05-02T08:15:30\",\"job-name\":\"boxes\"}}}}\n");
            }
            else
            {
                var label = i % 100 == 2 ? "rare" : common[i % 4];
                writer.Write($"{{\"source-ref\":\"{sourceRef}\",\"a\":0,\"a-metadata\":{{\"confidence\":1,\"job-name\":\"labeling-job/a\",\"class-name\":\"{label}\",\"human-annotated\":\"yes\",\"creation-date\":\"2024-05-02T08:15:30.125\",\"type\":\"groundtruth/image-classification\"}}");
                if (i % 5 == 0)
                {
                    writer.Write($",\"b\":1,\"b-metadata\":{{\"confidence\":0.9,\"job-name\":\"labeling-job/b\",\"class-name\":\"indoor\",\"human-annotated\":\"no\",\"creation-date\":\"2024-05-02T08:15:30Z\",\"type\":\"groundtruth/image-classification\"}}");
                }

                writer.Write("}\n");
            }
        }
    }

    public static async Task<string> ImportAsync(RekognitionCustomLabelsClient client)
    {
        var project = await client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "bench" });
        var arn = (await client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = project.ProjectArn,
            DatasetType = DatasetType.TRAIN,
            DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "bench", Name = "train.manifest" } } },
        })).DatasetArn!;
        await client.WhenIdleAsync();
        return arn;
    }
}
