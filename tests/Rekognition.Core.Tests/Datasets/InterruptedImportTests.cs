using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Datasets;

/// <summary>A process killed in the middle of an import leaves a consistent catalog and a failed dataset.</summary>
public class InterruptedImportTests
{
    [Test]
    public async Task KillingTheProcessDuringAnImport_LeavesAConsistentCatalogAndAFailedDataset()
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

        // The store opened afterwards sees a consistent catalog and a dataset that failed with a message.
        var client = new RekognitionCustomLabelsClient(store.Options);
        await using (client)
        {
            var description = (await client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = datasetArn })).DatasetDescription!;
            Assert.Multiple(() =>
            {
                Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_FAILED));
                Assert.That(description.StatusMessageCode, Is.EqualTo(DatasetStatusMessageCode.SERVICE_ERROR));
                Assert.That(description.StatusMessage, Does.Contain("interrupted"));
                Assert.That(description.DatasetStats!.TotalEntries, Is.EqualTo(0));
                Assert.That(description.DatasetStats.TotalLabels, Is.EqualTo(0));
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
