using System.Diagnostics;
using System.Text;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.MultiHost;

/// <summary>
/// The catalog's PostgreSQL server restarted (stopped, then started again) in the middle of an import: while it is down
/// the host answers the service's retryable InternalServerError; afterwards the import has either completed (every line
/// once) or failed cleanly with the service's status (no entry kept), no job is left behind, and what was there before
/// is intact. The server is the test's own (<see cref="ThrowawayPostgres"/>), so restarting it disturbs no other test.
/// </summary>
[Category("MultiHost")]
[NonParallelizable]
public class PostgresRestartTests
{
    private const int Lines = 150_000;

    private ThrowawayPostgres _postgres = null!;
    private LocalServerCluster _cluster = null!;

    [SetUp]
    public void SetUp()
    {
        _postgres = ThrowawayPostgres.Start();
        _cluster = new LocalServerCluster(ClusterStorage.PostgreSql, _postgres.ConnectionString);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            TestContext.Out.WriteLine(_cluster.Logs + "\n--- PostgreSQL ---\n" + _postgres.Log);
        }

        await _cluster.DisposeAsync();
        _postgres.Dispose();
    }

    [Test]
    public async Task ARestartMidImport_CompletesOrFailsTheImportCleanly_AndLosesNothingElse()
    {
        var host = await _cluster.StartAsync("host-a", "api,import");
        var project = (await host.OkAsync("CreateProject", new { ProjectName = "restart" })).GetProperty("ProjectArn").GetString()!;
        var before = await host.OkAsync("CreateDataset", await DatasetAsync(project, "TEST", "small", 10));
        var small = before.GetProperty("DatasetArn").GetString()!;
        Assert.That(await WaitForStatusAsync(host, small), Is.EqualTo("CREATE_COMPLETE"));

        var dataset = (await host.OkAsync("CreateDataset", await DatasetAsync(project, "TRAIN", "large", Lines))).GetProperty("DatasetArn").GetString()!;
        await WaitUntilAsync(() => host.Log.Contains("claimed job", StringComparison.Ordinal) && host.Log.Contains(dataset, StringComparison.Ordinal), "the import host claimed the import");
        await Task.Delay(500);
        var status = (await host.OkAsync("DescribeDataset", new { DatasetArn = dataset })).GetProperty("DatasetDescription").GetProperty("Status").GetString();
        Assert.That(status, Is.EqualTo("CREATE_IN_PROGRESS"), "the restart comes in the middle of the import");

        _postgres.StopServer();
        var (downStatus, down) = await host.CallAsync("DescribeDataset", new { DatasetArn = dataset });
        Assert.Multiple(() =>
        {
            Assert.That(downStatus, Is.EqualTo(500), down.ToString());
            Assert.That(down.GetProperty("__type").GetString(), Does.EndWith("InternalServerError"), "retryable, as the service's own");
            Assert.That(down.GetProperty("Message").GetString(), Does.Not.Contain("127.0.0.1").And.Not.Contain("Npgsql"), "no server detail to the caller");
        });
        _postgres.StartServer();

        var outcome = await WaitForStatusAsync(host, dataset);
        var description = (await host.OkAsync("DescribeDataset", new { DatasetArn = dataset })).GetProperty("DatasetDescription");
        var entries = Convert.ToInt64(SharedStoreServers.Scalar(_cluster.CatalogConnectionString!,
            "SELECT COUNT(*) FROM entries e JOIN datasets d ON d.id = e.dataset_id WHERE d.arn = @arn", ("arn", dataset)), System.Globalization.CultureInfo.InvariantCulture);
        var jobs = Convert.ToInt64(SharedStoreServers.Scalar(_cluster.CatalogConnectionString!, "SELECT COUNT(*) FROM jobs"), System.Globalization.CultureInfo.InvariantCulture);
        TestContext.Out.WriteLine($"after the restart: {outcome} ({description})");
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.AnyOf("CREATE_COMPLETE", "CREATE_FAILED"), "the import ended");
            if (outcome == "CREATE_COMPLETE")
            {
                Assert.That(description.GetProperty("DatasetStats").GetProperty("TotalEntries").GetInt32(), Is.EqualTo(Lines), "every line once");
                Assert.That(entries, Is.EqualTo(Lines), "the catalog holds every line once");
            }
            else
            {
                Assert.That(description.GetProperty("StatusMessage").GetString(), Is.Not.Empty, "a failed import says why");
                Assert.That(entries, Is.Zero, "a failed import keeps no entry");
            }

            Assert.That(jobs, Is.Zero, "no job is left behind");
        });

        // What was there before is intact, and the host works on.
        var smallStats = (await host.OkAsync("DescribeDataset", new { DatasetArn = small })).GetProperty("DatasetDescription").GetProperty("DatasetStats");
        Assert.That(smallStats.GetProperty("TotalEntries").GetInt32(), Is.EqualTo(10));
        var projects = await host.OkAsync("DescribeProjects", new { });
        Assert.That(projects.GetProperty("ProjectDescriptions").GetArrayLength(), Is.EqualTo(1));
        var other = (await host.OkAsync("CreateProject", new { ProjectName = "after" })).GetProperty("ProjectArn").GetString()!;
        var after = (await host.OkAsync("CreateDataset", await DatasetAsync(other, "TRAIN", "after", 10))).GetProperty("DatasetArn").GetString()!;
        Assert.That(await WaitForStatusAsync(host, after), Is.EqualTo("CREATE_COMPLETE"));
    }

    private async Task<object> DatasetAsync(string project, string type, string name, int lines)
    {
        var manifest = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            // CheckImages is off: the images need not exist for an import.
            manifest.Append(ManifestLines.Classification($"s3://media/{name}/{i:D7}.jpg", i % 3 == 0 ? "cat" : "dog", "animal")).Append('\n');
        }

        await _cluster.PutObjectAsync("media", $"{name}.manifest", Encoding.UTF8.GetBytes(manifest.ToString()));
        return new
        {
            ProjectArn = project,
            DatasetType = type,
            DatasetSource = new { GroundTruthManifest = new { S3Object = new { Bucket = "media", Name = $"{name}.manifest" } } },
        };
    }

    private static async Task<string> WaitForStatusAsync(LocalServerProcess host, string dataset)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            // Calls right after the restart may meet a connection the server ended: InternalServerError, retried as the SDKs do.
            var (status, json) = await host.CallAsync("DescribeDataset", new { DatasetArn = dataset });
            if (status == 200)
            {
                var current = json.GetProperty("DatasetDescription").GetProperty("Status").GetString()!;
                if (!current.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
                {
                    return current;
                }
            }
            else
            {
                Assert.That(json.GetProperty("__type").GetString(), Does.EndWith("InternalServerError"), json.ToString());
            }

            Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromMinutes(4)), "the import never ended");
            await Task.Delay(200);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), what);
            await Task.Delay(20);
        }
    }
}
