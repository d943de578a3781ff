using System.Text.Json;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.MultiHost;

/// <summary>
/// Nothing a second host needs stays on the first host's disk: with the catalog on PostgreSQL and the artifacts and
/// buckets on S3, host A imports and trains, then A is gone and its local folder deleted; host B, on a fresh empty
/// folder, describes the version and its evaluation, and serves the model.
/// </summary>
[Category("MultiHost")]
public class DisklessHostTests() : ClusterTestBase(ClusterStorage.PostgreSqlAndS3)
{
    [Test]
    public async Task AModelTrainedOnAHostWhoseFolderIsThenDeleted_IsDescribedEvaluatedAndServedByAFreshHost()
    {
        var a = await Cluster.StartAsync("host-a", "api,import,train");
        var project = await ProjectAsync(a, "diskless");
        var dataset = (await a.OkAsync("CreateDataset", await TrainDatasetAsync(project, "diskless", 6))).GetProperty("DatasetArn").GetString()!;
        Assert.That((await WaitForDatasetAsync(a, dataset)).GetProperty("Status").GetString(), Is.EqualTo("CREATE_COMPLETE"));
        var version = (await a.OkAsync("CreateProjectVersion", new
        {
            ProjectArn = project,
            VersionName = "v1",
            OutputConfig = new { S3Bucket = await Cluster.BucketAsync("out"), S3KeyPrefix = "diskless/" },
        })).GetProperty("ProjectVersionArn").GetString()!;
        var trained = await WaitForVersionAsync(a, project, version, "TRAINING_IN_PROGRESS");
        Assert.That(trained.Status, Is.EqualTo("TRAINING_COMPLETED"), trained.Message);
        var onA = await EvaluationAsync(a, version);

        // A is gone, and so is everything it kept on its disk.
        a.Kill();
        var folderOfA = Cluster.StoreRootOf("host-a");
        Assert.That(Directory.Exists(folderOfA), Is.True, "host A had a local folder");
        Directory.Delete(folderOfA, recursive: true);

        var b = await Cluster.StartAsync("host-b", "api,serve");

        var described = (await b.OkAsync("DescribeProjectVersions", new { ProjectArn = project })).GetProperty("ProjectVersionDescriptions").EnumerateArray().Single();
        var evaluation = described.GetProperty("EvaluationResult");
        var summary = evaluation.GetProperty("Summary").GetProperty("S3Object");
        Assert.Multiple(() =>
        {
            Assert.That(described.GetProperty("Status").GetString(), Is.EqualTo("TRAINING_COMPLETED"));
            Assert.That(evaluation.GetProperty("F1Score").GetDouble(), Is.GreaterThan(0.5), "a red/blue split is learnt");
        });
        Assert.That(await Cluster.ObjectExistsAsync("out", summary.GetProperty("Name").GetString()!), Is.True, "the evaluation summary is in the output bucket");

        // The per-label and per-image evaluation (the console's view) is read from the object store, the same as on A.
        var onB = await EvaluationAsync(b, version);
        Assert.That(onB.GetRawText(), Is.EqualTo(onA.GetRawText()), "B reads the evaluation A wrote");

        // B loads the model from S3 and answers.
        await b.OkAsync("StartProjectVersion", new { ProjectVersionArn = version, MinInferenceUnits = 1 });
        Assert.That((await WaitForVersionAsync(b, project, version, "STARTING")).Status, Is.EqualTo("RUNNING"));
        var labels = await DetectWhenLoadedAsync(b, version, RedImage());
        Assert.That(labels.EnumerateArray().First().GetProperty("Name").GetString(), Is.EqualTo("red"));
        var entries = (await b.OkAsync("DescribeDataset", new { DatasetArn = dataset })).GetProperty("DatasetDescription").GetProperty("DatasetStats");
        Assert.That(entries.GetProperty("TotalEntries").GetInt32(), Is.EqualTo(12));
    }

    private static async Task<JsonElement> EvaluationAsync(LocalServerProcess host, string version)
    {
        var (status, json) = await host.ConsoleGetAsync("evaluation?version=" + Uri.EscapeDataString(version));
        Assert.That(status, Is.EqualTo(200), $"host {host.Name}: {json}");
        Assert.That(json.GetProperty("labels").GetArrayLength(), Is.EqualTo(2), json.GetRawText());
        return json;
    }
}
