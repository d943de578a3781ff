using System.Text;
using BenchmarkDotNet.Attributes;
using Rekognition.Core;
using Rekognition.Core.Model;

namespace Rekognition.Benchmarks.Datasets;

/// <summary>
/// The catalog's small writes, where PostgreSQL pays a network round trip per statement: UpdateDatasetEntries of 500
/// lines (250 replacing entries, 250 new), and PutProjectPolicy + DeleteProjectPolicy, on both providers.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CatalogCallConfig))]
public class CatalogWriteBenchmarks
{
    private const string PolicyDocument = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},
        "Action":"rekognition:CopyProjectVersion","Resource":"arn:aws:rekognition:us-east-1:123456789012:project/bench/version/*"}]}
        """;

    private string _root = null!;
    private BenchmarkCatalog _catalog = null!;
    private RekognitionCustomLabelsClient _client = null!;
    private string _project = null!;
    private string _dataset = null!;
    private int _round;

    [Params(CatalogProvider.Sqlite, CatalogProvider.PostgreSQL)]
    public CatalogProvider Provider { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "rk-bench-writes", Guid.NewGuid().ToString("N"));
        DatasetCatalogData.WriteManifest(Path.Combine(_root, "buckets", "bench", "train.manifest"), 2_000);
        _catalog = BenchmarkCatalog.Open(Provider, Path.Combine(_root, "store"), Path.Combine(_root, "buckets"));
        _client = _catalog.Client;
        _dataset = await DatasetCatalogData.ImportAsync(_client);
        _project = (await _client.DescribeProjectsAsync(new DescribeProjectsRequest())).ProjectDescriptions.Single().ProjectArn!;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _catalog.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Description = "UpdateDatasetEntries: 500 lines (250 replaced, 250 new)")]
    public async Task<DatasetStatus> Update500()
    {
        var round = _round++;
        var changes = new StringBuilder();
        for (var i = 0; i < 500; i++)
        {
            // Even lines replace imported entries; odd ones add entries no round has written.
            var sourceRef = i % 2 == 0 ? $"s3://bench/folder{i % 10}/img_{i:D7}.jpg" : $"s3://bench/new/r{round}_{i}.jpg";
            changes.Append("{\"source-ref\":\"").Append(sourceRef)
                .Append("\",\"a\":0,\"a-metadata\":{\"confidence\":1,\"job-name\":\"labeling-job/a\",\"class-name\":\"")
                .Append(i % 3 == 0 ? "cat" : "dog")
                .Append("\",\"human-annotated\":\"yes\",\"creation-date\":\"2024-05-02T08:15:30.125\",\"type\":\"groundtruth/image-classification\"}}\n");
        }

        await _client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest
        {
            DatasetArn = _dataset,
            Changes = new DatasetChanges { GroundTruth = new MemoryStream(Encoding.UTF8.GetBytes(changes.ToString())) },
        });
        await _client.WhenIdleAsync();
        var status = (await _client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = _dataset })).DatasetDescription!.Status;
        return status == DatasetStatus.UPDATE_COMPLETE ? status : throw new InvalidOperationException($"The update ended {status}.");
    }

    [Benchmark(Description = "PutProjectPolicy + DeleteProjectPolicy")]
    public async Task<string> PutAndDeletePolicy()
    {
        var name = "p" + _round++;
        var revision = (await _client.PutProjectPolicyAsync(new PutProjectPolicyRequest { ProjectArn = _project, PolicyName = name, PolicyDocument = PolicyDocument })).PolicyRevisionId!;
        await _client.DeleteProjectPolicyAsync(new DeleteProjectPolicyRequest { ProjectArn = _project, PolicyName = name, PolicyRevisionId = revision });
        return revision;
    }
}
