using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.MultiHost;

/// <summary>
/// Several LocalServer processes sharing one store (<see cref="LocalServerCluster"/>): work queued on one host runs on a
/// host with the role, a host killed mid-training loses its job to another that finishes it from the checkpoint, and every
/// serving host answers DetectCustomLabels (two hosts racing for a job: <see cref="JobRaceTests"/>). Each scenario runs on a
/// shared SQLite file and folder, and on a PostgreSQL catalog with artifacts and buckets on S3 where each host has a
/// local folder of its own (REKOGNITION_TEST_POSTGRES and REKOGNITION_TEST_S3_URL: `source .ci/postgres.sh` and
/// `source .ci/s3.sh`).
/// </summary>
[Category("MultiHost")]
[TestFixture(ClusterStorage.SharedFolder)]
[TestFixture(ClusterStorage.PostgreSqlAndS3)]
public class MultiHostTests(ClusterStorage storage) : ClusterTestBase(storage)
{
    [Test]
    public async Task ADatasetCreatedOnOneHost_IsImportedByAnImportHost_AndListedOnAnother()
    {
        var a = await Cluster.StartAsync("host-a", "api");
        var b = await Cluster.StartAsync("host-b", "api,import");
        var project = await ProjectAsync(a, "shared");

        var dataset = (await a.OkAsync("CreateDataset", await TrainDatasetAsync(project, "shared", 4))).GetProperty("DatasetArn").GetString()!;
        var description = await WaitForDatasetAsync(b, dataset);

        Assert.That(description.GetProperty("Status").GetString(), Is.EqualTo("CREATE_COMPLETE"), Cluster.Logs);
        var entries = await b.OkAsync("ListDatasetEntries", new { DatasetArn = dataset });
        Assert.That(entries.GetProperty("DatasetEntries").GetArrayLength(), Is.EqualTo(8));
        Assert.That(b.Log, Does.Contain($"claimed job").And.Contain(dataset), "the import host ran the import");
        Assert.That(a.Log, Does.Not.Contain("claimed job"), "a host without the import role runs no import");
    }

    [Test]
    public async Task ATrainingStartedOnAnApiHost_RunsOnATrainHost_IsTakenOverWhenThatHostIsKilled_AndServedByEveryServingHost()
    {
        var a = await Cluster.StartAsync("host-a", "api,import");
        var b = await Cluster.StartAsync("host-b", "api,train");
        var project = await ProjectAsync(a, "takeover");
        var dataset = (await a.OkAsync("CreateDataset", await TrainDatasetAsync(project, "takeover", 10))).GetProperty("DatasetArn").GetString()!;
        await WaitForDatasetAsync(a, dataset);

        // Started on A (no train role): B claims it; kill -9 B once it has checkpointed.
        var version = (await a.OkAsync("CreateProjectVersion", new
        {
            ProjectArn = project,
            VersionName = "v1",
            OutputConfig = new { S3Bucket = await Cluster.BucketAsync("out"), S3KeyPrefix = "takeover/" },
        })).GetProperty("ProjectVersionArn").GetString()!;
        var checkpoint = await WaitForCheckpointAsync();
        Assert.That(b.Log, Does.Contain("claimed job").And.Contain(version), "the train host runs the training");
        Assert.That(a.Log, Does.Not.Contain("claimed job (Train"), "a host without the train role never trains");
        b.Kill();
        Assert.That(await DescribeVersionAsync(a, project, version), Has.Property("Status").EqualTo("TRAINING_IN_PROGRESS"));

        // C joins, takes the job over once B's lease lapses, and goes on from B's checkpoint.
        var c = await Cluster.StartAsync("host-c", "api,train,serve");
        var trained = await WaitForVersionAsync(a, project, version, "TRAINING_IN_PROGRESS");
        var checkpointKept = await CheckpointStillStoredAsync(checkpoint);
        var summaryWritten = await Cluster.ObjectExistsAsync("out", "takeover/v1/manifest_summary.json");
        Assert.Multiple(() =>
        {
            Assert.That(trained.Status, Is.EqualTo("TRAINING_COMPLETED"), trained.Message + "\n" + Cluster.Logs);
            Assert.That(c.Log, Does.Contain("took over job"), "C took the job over from B");
            Assert.That(c.Log, Does.Contain("Resumed from the checkpoint taken after epoch"), "C went on from B's checkpoint");
            Assert.That(checkpointKept, Is.False, "the checkpoint is cleared once trained");
            Assert.That(summaryWritten, Is.True, "the results are in the output bucket");
        });

        // Started from A (no serve role): every serving host loads it, including one that joins later.
        await a.OkAsync("StartProjectVersion", new { ProjectVersionArn = version, MinInferenceUnits = 1 });
        Assert.That((await WaitForVersionAsync(a, project, version, "STARTING")).Status, Is.EqualTo("RUNNING"));
        var d = await Cluster.StartAsync("host-d", "api,serve");
        var red = RedImage();
        foreach (var serving in new[] { c, d })
        {
            var labels = await DetectWhenLoadedAsync(serving, version, red);
            Assert.That(labels.EnumerateArray().First().GetProperty("Name").GetString(), Is.EqualTo("red"), $"host {serving.Name} answers from its own units");
        }

        var (status, refused) = await a.CallAsync("DetectCustomLabels", new { ProjectVersionArn = version, Image = new { Bytes = red } });
        Assert.That(status, Is.EqualTo(400));
        Assert.That(refused.GetProperty("__type").GetString(), Does.EndWith("ResourceNotReadyException"));
        Assert.That(refused.GetProperty("Message").GetString(), Does.Contain("serve role"));

        // Stopped from A: unloaded everywhere.
        await a.OkAsync("StopProjectVersion", new { ProjectVersionArn = version });
        Assert.That((await WaitForVersionAsync(a, project, version, "STOPPING")).Status, Is.EqualTo("STOPPED"));
        foreach (var serving in new[] { c, d })
        {
            var (stoppedStatus, stopped) = await serving.CallAsync("DetectCustomLabels", new { ProjectVersionArn = version, Image = new { Bytes = red } });
            Assert.That(stoppedStatus, Is.EqualTo(400), $"host {serving.Name}: {stopped}");
            Assert.That(stopped.GetProperty("Message").GetString(), Does.Contain("STOPPED"));
        }
    }
}
