using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Datasets;

/// <summary>
/// A process killed in the middle of an import leaves a consistent catalog, and the import's job: once its lease lapses
/// another host takes it over and imports again from nothing (the first attempt's rows were never committed).
/// </summary>
public class InterruptedImportTests
{
    [Test]
    public async Task KillingTheProcessDuringAnImport_LeavesAConsistentCatalog_AndAnotherHostImportsAgainFromNothing()
    {
        await using var store = new TestStore(o => o.CheckImages = false);

        // Something stored before the crash, which must survive it.
        var keeper = await store.CreateProjectAsync("keeper");
        await store.Client.TagResourceAsync(new TagResourceRequest { ResourceArn = keeper, Tags = { ["keep"] = "me" } });
        await store.Client.DisposeAsync();

        var manifest = ManifestLines.Join(Enumerable.Range(0, 200_000)
            .Select(i => ManifestLines.Classification($"s3://my-bucket/images/{i:D7}.jpg", i % 3 == 0 ? "cat" : "dog")));
        store.PutObject("my-bucket", "big.manifest", manifest);

        var host = Path.Combine(HostDirectory(), "Rekognition.Core.ImportHost.dll");
        Assert.That(File.Exists(host), Is.True, host);
        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { host, store.Options.StoreRoot, store.Options.ResolvedBucketsRoot, "my-bucket", "big.manifest" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var started = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(started, Does.StartWith("STARTED "), await DrainAsync(process));
        var datasetArn = started!["STARTED ".Length..];

        // Let the import write a good part of its rows (uncommitted) before the kill.
        await Task.Delay(700);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        // The store opened afterwards (another host) sees a consistent catalog: nothing of the first attempt was kept
        // (the dataset is still being created, by nobody, until the killed host's lease lapses) ...
        var client = new RekognitionCustomLabelsClient(store.Options);
        await using (client)
        {
            var description = (await client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = datasetArn })).DatasetDescription!;
            Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_IN_PROGRESS), "the killed host's lease has not lapsed yet");
            Assert.That(description.DatasetStats!.TotalEntries, Is.EqualTo(0), "the first attempt's rows were never committed");

            // ... then takes the job over and imports again from nothing.
            var waited = Stopwatch.StartNew();
            while ((description = (await client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = datasetArn })).DatasetDescription!).Status == DatasetStatus.CREATE_IN_PROGRESS
                   && waited.Elapsed < TimeSpan.FromMinutes(5)) // 200,000 lines again: minutes on a loaded machine
            {
                await Task.Delay(200);
            }

            Assert.Multiple(() =>
            {
                Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), description.StatusMessage);
                Assert.That(description.DatasetStats!.TotalEntries, Is.EqualTo(200_000), "each line once: the first attempt left nothing behind");
                Assert.That(description.DatasetStats.TotalLabels, Is.EqualTo(2));
            });

            var tags = (await client.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = keeper })).Tags;
            Assert.That(tags["keep"], Is.EqualTo("me"));

            // The failed dataset can be deleted and the import run again to completion.
            await client.DeleteDatasetAsync(new DeleteDatasetRequest { DatasetArn = datasetArn });
        }

        using var connection = new SqliteConnection($"Data Source={Path.Combine(store.Options.StoreRoot, "catalog.db")}");
        connection.Open();
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        Assert.That(check.ExecuteScalar(), Is.EqualTo("ok"));
        check.CommandText = "SELECT COUNT(*) FROM entries";
        Assert.That(check.ExecuteScalar(), Is.EqualTo(0L));
    }

    private static async Task<string> DrainAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        return await process.StandardError.ReadToEndAsync();
    }

    // The host is built beside the tests (same configuration and framework folders).
    private static string HostDirectory()
    {
        var testDir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var framework = testDir.Name;
        var configuration = testDir.Parent!.Name;
        var testsRoot = testDir.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(testsRoot, "Rekognition.Core.ImportHost", "bin", configuration, framework);
    }
}
