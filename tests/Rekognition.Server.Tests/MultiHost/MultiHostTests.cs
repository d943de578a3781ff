using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Rekognition.Server.Tests.TestSupport;
using SkiaSharp;

namespace Rekognition.Server.Tests.MultiHost;

/// <summary>
/// Several LocalServer processes sharing one store (<see cref="LocalServerCluster"/>): work queued on one host runs on a
/// host with the role, a host killed mid-training loses its job to another that finishes it from the checkpoint, two
/// hosts racing for a job never both run it, and every serving host answers DetectCustomLabels.
/// </summary>
[Category("MultiHost")]
public class MultiHostTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private LocalServerCluster _cluster = null!;

    [SetUp]
    public void SetUp() => _cluster = new LocalServerCluster();

    [TearDown]
    public async Task TearDownAsync()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            TestContext.Out.WriteLine(_cluster.Logs);
        }

        await _cluster.DisposeAsync();
    }

    [Test]
    public async Task ADatasetCreatedOnOneHost_IsImportedByAnImportHost_AndListedOnAnother()
    {
        var a = await _cluster.StartAsync("host-a", "api");
        var b = await _cluster.StartAsync("host-b", "api,import");
        var project = await ProjectAsync(a, "shared");

        var dataset = (await a.OkAsync("CreateDataset", TrainDataset(project, Manifest("shared", 4)))).GetProperty("DatasetArn").GetString()!;
        var description = await WaitForDatasetAsync(b, dataset);

        Assert.That(description.GetProperty("Status").GetString(), Is.EqualTo("CREATE_COMPLETE"), _cluster.Logs);
        var entries = await b.OkAsync("ListDatasetEntries", new { DatasetArn = dataset });
        Assert.That(entries.GetProperty("DatasetEntries").GetArrayLength(), Is.EqualTo(8));
        Assert.That(b.Log, Does.Contain($"claimed job").And.Contain(dataset), "the import host ran the import");
        Assert.That(a.Log, Does.Not.Contain("claimed job"), "a host without the import role runs no import");
    }

    [Test]
    public async Task ATrainingStartedOnAnApiHost_RunsOnATrainHost_IsTakenOverWhenThatHostIsKilled_AndServedByEveryServingHost()
    {
        var a = await _cluster.StartAsync("host-a", "api,import");
        var b = await _cluster.StartAsync("host-b", "api,train");
        var project = await ProjectAsync(a, "takeover");
        var dataset = (await a.OkAsync("CreateDataset", TrainDataset(project, Manifest("takeover", 10)))).GetProperty("DatasetArn").GetString()!;
        await WaitForDatasetAsync(a, dataset);

        // Started on A (no train role): B claims it; kill -9 B once it has checkpointed.
        var version = (await a.OkAsync("CreateProjectVersion", new
        {
            ProjectArn = project,
            VersionName = "v1",
            OutputConfig = new { S3Bucket = "out", S3KeyPrefix = "takeover/" },
        })).GetProperty("ProjectVersionArn").GetString()!;
        var checkpoint = await WaitForCheckpointAsync();
        Assert.That(b.Log, Does.Contain("claimed job").And.Contain(version), "the train host runs the training");
        Assert.That(a.Log, Does.Not.Contain("claimed job (Train"), "a host without the train role never trains");
        b.Kill();
        Assert.That(await DescribeVersionAsync(a, project, version), Has.Property("Status").EqualTo("TRAINING_IN_PROGRESS"));

        // C joins, takes the job over once B's lease lapses, and goes on from B's checkpoint.
        var c = await _cluster.StartAsync("host-c", "api,train,serve");
        var trained = await WaitForVersionAsync(a, project, version, "TRAINING_IN_PROGRESS");
        Assert.Multiple(() =>
        {
            Assert.That(trained.Status, Is.EqualTo("TRAINING_COMPLETED"), trained.Message + "\n" + _cluster.Logs);
            Assert.That(c.Log, Does.Contain("took over job"), "C took the job over from B");
            Assert.That(c.Log, Does.Contain("Resumed from the checkpoint taken after epoch"), "C went on from B's checkpoint");
            Assert.That(File.Exists(checkpoint), Is.False, "the checkpoint is cleared once trained");
            Assert.That(File.Exists(Path.Combine(_cluster.BucketsRoot, "out", "takeover", "v1", "manifest_summary.json")), Is.True, "the results are in the output bucket");
        });

        // Started from A (no serve role): every serving host loads it, including one that joins later.
        await a.OkAsync("StartProjectVersion", new { ProjectVersionArn = version, MinInferenceUnits = 1 });
        Assert.That((await WaitForVersionAsync(a, project, version, "STARTING")).Status, Is.EqualTo("RUNNING"));
        var d = await _cluster.StartAsync("host-d", "api,serve");
        var red = Convert.ToBase64String(ColourSquares.Png(new SKColor(220, 30, 30), 77_777));
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

    [Test]
    public async Task TwoTrainHostsRacingForOneTraining_ExactlyOneRunsIt()
    {
        var a = await _cluster.StartAsync("host-a", "api,import");
        var project = await ProjectAsync(a, "race");
        var dataset = (await a.OkAsync("CreateDataset", TrainDataset(project, Manifest("race", 5)))).GetProperty("DatasetArn").GetString()!;
        await WaitForDatasetAsync(a, dataset);
        var b = await _cluster.StartAsync("host-b", "train");
        var c = await _cluster.StartAsync("host-c", "train");

        var version = (await a.OkAsync("CreateProjectVersion", new
        {
            ProjectArn = project,
            VersionName = "v1",
            OutputConfig = new { S3Bucket = "out", S3KeyPrefix = "race/" },
        })).GetProperty("ProjectVersionArn").GetString()!;
        var trained = await WaitForVersionAsync(a, project, version, "TRAINING_IN_PROGRESS");

        Assert.That(trained.Status, Is.EqualTo("TRAINING_COMPLETED"), trained.Message);
        var runners = new[] { b, c }.Where(h => h.Log.Contains($"claimed job", StringComparison.Ordinal) && h.Log.Contains(version, StringComparison.Ordinal)).ToArray();
        Assert.That(runners.Select(h => h.Name).ToArray(), Has.Length.EqualTo(1), "exactly one host claimed the training");
        Assert.That(b.Log + c.Log, Does.Not.Contain("took over job"));
    }

    private async Task<string> ProjectAsync(LocalServerProcess host, string name) =>
        (await host.OkAsync("CreateProject", new { ProjectName = name })).GetProperty("ProjectArn").GetString()!;

    private static object TrainDataset(string project, string manifest) => new
    {
        ProjectArn = project,
        DatasetType = "TRAIN",
        DatasetSource = new { GroundTruthManifest = new { S3Object = new { Bucket = "media", Name = manifest } } },
    };

    private string Manifest(string folder, int perLabel)
    {
        var lines = new StringBuilder();
        foreach (var (label, colour) in new[] { ("red", new SKColor(220, 30, 30)), ("blue", new SKColor(30, 30, 220)) })
        {
            for (var i = 0; i < perLabel; i++)
            {
                var uri = _cluster.PutObject("media", $"{folder}/{label}{i}.png", ColourSquares.Png(colour, i + (label == "red" ? 0 : 1000)));
                lines.Append(ManifestLines.Classification(uri, label, "colour")).Append('\n');
            }
        }

        _cluster.PutObject("media", $"{folder}.manifest", Encoding.UTF8.GetBytes(lines.ToString()));
        return $"{folder}.manifest";
    }

    private static async Task<JsonElement> WaitForDatasetAsync(LocalServerProcess host, string dataset)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var description = (await host.OkAsync("DescribeDataset", new { DatasetArn = dataset })).GetProperty("DatasetDescription");
            if (!description.GetProperty("Status").GetString()!.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) || waited.Elapsed > Patience)
            {
                return description;
            }

            await Task.Delay(100);
        }
    }

    private sealed record VersionState(string Status, string? Message);

    private static async Task<VersionState> DescribeVersionAsync(LocalServerProcess host, string project, string version)
    {
        var versions = await host.OkAsync("DescribeProjectVersions", new { ProjectArn = project });
        var description = versions.GetProperty("ProjectVersionDescriptions").EnumerateArray().Single(v => v.GetProperty("ProjectVersionArn").GetString() == version);
        return new VersionState(description.GetProperty("Status").GetString()!,
            description.TryGetProperty("StatusMessage", out var message) ? message.GetString() : null);
    }

    private static async Task<VersionState> WaitForVersionAsync(LocalServerProcess host, string project, string version, string whileStatus)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var state = await DescribeVersionAsync(host, project, version);
            if (state.Status != whileStatus || waited.Elapsed > Patience)
            {
                return state;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The checkpoint file of the only training in the store, once a trainer has written it.</summary>
    private async Task<string> WaitForCheckpointAsync()
    {
        var waited = Stopwatch.StartNew();
        var training = Path.Combine(_cluster.StoreRoot, "training");
        while (waited.Elapsed < Patience)
        {
            var found = Directory.Exists(training)
                ? Directory.EnumerateFiles(training, "training.ckpt", SearchOption.AllDirectories).FirstOrDefault()
                : null;
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(20);
        }

        Assert.Fail("No trainer checkpointed within the time allowed.\n" + _cluster.Logs);
        return null!;
    }

    private static async Task<JsonElement> DetectWhenLoadedAsync(LocalServerProcess host, string version, string image)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var (status, json) = await host.CallAsync("DetectCustomLabels", new { ProjectVersionArn = version, Image = new { Bytes = image }, MinConfidence = 0 });
            if (status == 200)
            {
                return json.GetProperty("CustomLabels");
            }

            // A serving host that has not loaded the model yet answers ResourceNotReady; it loads within a poll.
            Assert.That(json.GetProperty("Message").GetString(), Does.Contain("not loaded it yet"), $"host {host.Name}: {json}");
            Assert.That(waited.Elapsed, Is.LessThan(Patience), $"host {host.Name} never loaded the model");
            await Task.Delay(100);
        }
    }
}
