using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Rekognition.Server.Tests.TestSupport;
using SkiaSharp;

namespace Rekognition.Server.Tests.MultiHost;

/// <summary>
/// A <see cref="LocalServerCluster"/> for each test (its hosts' logs printed when the test fails) and the steps the
/// multi-host tests share: a project, a two-colour dataset, waiting for a dataset or a version to leave a status.
/// </summary>
public abstract class ClusterTestBase(ClusterStorage storage)
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    protected LocalServerCluster Cluster { get; private set; } = null!;

    [SetUp]
    public void StartCluster() => Cluster = new LocalServerCluster(storage);

    [TearDown]
    public async Task StopClusterAsync()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            TestContext.Out.WriteLine(Cluster.Logs);
        }

        await Cluster.DisposeAsync();
    }

    /// <summary>A red image unlike the training images.</summary>
    protected static string RedImage() => Convert.ToBase64String(ColourSquares.Png(new SKColor(220, 30, 30), 77_777));

    protected async Task<string> ProjectAsync(LocalServerProcess host, string name) =>
        (await host.OkAsync("CreateProject", new { ProjectName = name })).GetProperty("ProjectArn").GetString()!;

    protected async Task<object> TrainDatasetAsync(string project, string folder, int perLabel) => new
    {
        ProjectArn = project,
        DatasetType = "TRAIN",
        DatasetSource = new { GroundTruthManifest = new { S3Object = new { Bucket = await Cluster.BucketAsync("media"), Name = await ManifestAsync(folder, perLabel) } } },
    };

    protected async Task<string> ManifestAsync(string folder, int perLabel)
    {
        var lines = new StringBuilder();
        foreach (var (label, colour) in new[] { ("red", new SKColor(220, 30, 30)), ("blue", new SKColor(30, 30, 220)) })
        {
            for (var i = 0; i < perLabel; i++)
            {
                var uri = await Cluster.PutObjectAsync("media", $"{folder}/{label}{i}.png", ColourSquares.Png(colour, i + (label == "red" ? 0 : 1000)));
                lines.Append(ManifestLines.Classification(uri, label, "colour")).Append('\n');
            }
        }

        await Cluster.PutObjectAsync("media", $"{folder}.manifest", Encoding.UTF8.GetBytes(lines.ToString()));
        return $"{folder}.manifest";
    }

    protected static async Task<JsonElement> WaitForDatasetAsync(LocalServerProcess host, string dataset)
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

    protected sealed record VersionState(string Status, string? Message);

    protected static async Task<VersionState> DescribeVersionAsync(LocalServerProcess host, string project, string version)
    {
        var versions = await host.OkAsync("DescribeProjectVersions", new { ProjectArn = project });
        var description = versions.GetProperty("ProjectVersionDescriptions").EnumerateArray().Single(v => v.GetProperty("ProjectVersionArn").GetString() == version);
        return new VersionState(description.GetProperty("Status").GetString()!,
            description.TryGetProperty("StatusMessage", out var message) ? message.GetString() : null);
    }

    protected static async Task<VersionState> WaitForVersionAsync(LocalServerProcess host, string project, string version, string whileStatus)
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

    /// <summary>The stored checkpoint of the only training in the store, once a trainer has written it.</summary>
    protected async Task<string> WaitForCheckpointAsync()
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Patience)
        {
            if (await Cluster.FindCheckpointAsync() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        Assert.Fail("No trainer checkpointed within the time allowed.\n" + Cluster.Logs);
        return null!;
    }

    /// <summary>
    /// Whether <paramref name="checkpoint"/> is still stored a while after its training ended: the trainer clears its
    /// scratch just after it records the version's end, so a look at once could come first.
    /// </summary>
    protected async Task<bool> CheckpointStillStoredAsync(string checkpoint)
    {
        var waited = Stopwatch.StartNew();
        while (await Cluster.CheckpointExistsAsync(checkpoint))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(15))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    protected static async Task<JsonElement> DetectWhenLoadedAsync(LocalServerProcess host, string version, string image)
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
