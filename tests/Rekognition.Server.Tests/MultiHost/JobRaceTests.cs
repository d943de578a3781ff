using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.MultiHost;

/// <summary>
/// Two train hosts polling for the same training: exactly one claims and runs it. On the shared SQLite file (the claim
/// is a transaction there); PostgreSQL's FOR UPDATE SKIP LOCKED claim is raced in process by the PostgreSQL provider's
/// JobClaimTests, which keeps the multi-host run on PostgreSQL and S3 short.
/// </summary>
[Category("MultiHost")]
public class JobRaceTests() : ClusterTestBase(ClusterStorage.SharedFolder)
{
    [Test]
    public async Task TwoTrainHostsRacingForOneTraining_ExactlyOneRunsIt()
    {
        var a = await Cluster.StartAsync("host-a", "api,import");
        var project = await ProjectAsync(a, "race");
        var dataset = (await a.OkAsync("CreateDataset", await TrainDatasetAsync(project, "race", 5))).GetProperty("DatasetArn").GetString()!;
        await WaitForDatasetAsync(a, dataset);
        var b = await Cluster.StartAsync("host-b", "train");
        var c = await Cluster.StartAsync("host-c", "train");

        var version = (await a.OkAsync("CreateProjectVersion", new
        {
            ProjectArn = project,
            VersionName = "v1",
            OutputConfig = new { S3Bucket = await Cluster.BucketAsync("out"), S3KeyPrefix = "race/" },
        })).GetProperty("ProjectVersionArn").GetString()!;
        var trained = await WaitForVersionAsync(a, project, version, "TRAINING_IN_PROGRESS");

        Assert.That(trained.Status, Is.EqualTo("TRAINING_COMPLETED"), trained.Message);
        var runners = new[] { b, c }.Where(h => h.Log.Contains($"claimed job", StringComparison.Ordinal) && h.Log.Contains(version, StringComparison.Ordinal)).ToArray();
        Assert.That(runners.Select(h => h.Name).ToArray(), Has.Length.EqualTo(1), "exactly one host claimed the training");
        Assert.That(b.Log + c.Log, Does.Not.Contain("took over job"));
    }
}
