using System.Text;
using System.Text.Json;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Conformance;

/// <summary>Datasets imported from manifests under the buckets root, listed and updated through the CLI and boto3.</summary>
[Category("Conformance")]
public class DatasetImportConformanceTests
{
    private static readonly byte[] FakePng = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52];

    private LocalServerFixture _server = null!;
    private ExternalClients _clients = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        ExternalClients.RequireAwsCli();
        ExternalClients.RequireBoto3();
        _server = await LocalServerFixture.StartAsync();
        _clients = new ExternalClients(_server.Endpoint, Path.Combine(_server.Root, "import"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task ManifestImport_ListEntriesAndLabels_AndUpdateEntriesWithRawLine()
    {
        var lines = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            lines.Add(ManifestLines.Classification(_server.PutObject("media", $"images/cat{i}.png", FakePng), "cat"));
            lines.Add(ManifestLines.Classification(_server.PutObject("media", $"images/dog{i}.png", FakePng), "dog"));
        }

        _server.PutObject("media", "manifests/train.manifest", Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));

        var project = (await _clients.AwsAsync("create-project", "--project-name", "imported")).Json().GetProperty("ProjectArn").GetString()!;
        var dataset = (await _clients.AwsAsync("create-dataset", "--project-arn", project, "--dataset-type", "TRAIN",
            "--dataset-source", "GroundTruthManifest={S3Object={Bucket=media,Name=manifests/train.manifest}}")).Json().GetProperty("DatasetArn").GetString()!;

        var polled = await _clients.Boto3Async($$"""
            import time
            for _ in range(200):
                d = rk.describe_dataset(DatasetArn='{{dataset}}')['DatasetDescription']
                if not d['Status'].endswith('IN_PROGRESS'):
                    break
                time.sleep(0.1)
            RESULTS['final'] = {'ok': d}
            """);
        var description = ExternalClients.Ok(polled, "final");
        Assert.That(description.GetProperty("Status").GetString(), Is.EqualTo("CREATE_COMPLETE"), description.ToString());
        Assert.That(description.GetProperty("DatasetStats").GetProperty("TotalEntries").GetInt32(), Is.EqualTo(8));

        var entries = (await _clients.AwsAsync("list-dataset-entries", "--dataset-arn", dataset, "--page-size", "3")).Json().GetProperty("DatasetEntries");
        Assert.That(entries.GetArrayLength(), Is.EqualTo(8), "the CLI follows NextToken over 3 pages");
        Assert.That(entries.EnumerateArray().Select(e => JsonDocument.Parse(e.GetString()!).RootElement.GetProperty("source-ref").GetString()),
            Has.Member("s3://media/images/cat0.png"));

        // CLI v1 leaves "fileb://" inside a structure unresolved and base64-encodes any text it is given for a blob,
        // so the natural v1 call passes the JSON line itself as the blob's text.
        var changes = Path.Combine(_server.Root, "changes.json");
        var changeLine = ManifestLines.Classification(_server.PutObject("media", "images/bird0.png", FakePng), "bird") + "\n";
        await File.WriteAllTextAsync(changes, JsonSerializer.Serialize(new Dictionary<string, string> { ["GroundTruth"] = changeLine }));
        var update = await _clients.AwsAsync("update-dataset-entries", "--dataset-arn", dataset, "--changes", $"file://{changes}");
        Assert.That(update.ExitCode, Is.Zero, update.ToString());

        var after = await _clients.Boto3Async($$"""
            import time
            for _ in range(200):
                d = rk.describe_dataset(DatasetArn='{{dataset}}')['DatasetDescription']
                if not d['Status'].endswith('IN_PROGRESS'):
                    break
                time.sleep(0.1)
            RESULTS['final'] = {'ok': d}
            step('labels', lambda: rk.list_dataset_labels(DatasetArn='{{dataset}}'))
            step('birds', lambda: rk.list_dataset_entries(DatasetArn='{{dataset}}', ContainsLabels=['bird']))
            """);
        var final = ExternalClients.Ok(after, "final");
        Assert.That(final.GetProperty("Status").GetString(), Is.EqualTo("UPDATE_COMPLETE"), final.ToString());
        var labels = ExternalClients.Ok(after, "labels").GetProperty("DatasetLabelDescriptions").EnumerateArray()
            .ToDictionary(l => l.GetProperty("LabelName").GetString()!, l => l.GetProperty("LabelStats").GetProperty("EntryCount").GetInt32());
        Assert.That(labels, Is.EquivalentTo(new Dictionary<string, int> { ["cat"] = 4, ["dog"] = 4, ["bird"] = 1 }));
        Assert.That(ExternalClients.Ok(after, "birds").GetProperty("DatasetEntries").GetArrayLength(), Is.EqualTo(1));
    }
}
