using System.Net;
using Rekognition.Console.Tests.TestSupport;
using Rekognition.Core.Model;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Console.Tests;

/// <summary>Thumbnails are made once per store: kept in the store's objects, so another host (or a restart) serves them.</summary>
public partial class ConsoleApiTests
{
    [Test]
    public async Task AThumbnail_IsKeptInTheStore_AndAnotherHostOnTheSameStoreServesIt_WithoutTheImage()
    {
        var project = (await ConsoleStore.Client(_server).CreateProjectAsync(new CreateProjectRequest { ProjectName = "thumbs" })).ProjectArn!;
        var dataset = await ConsoleStore.DatasetAsync(_server, project, DatasetType.TRAIN, ConsoleStore.SceneManifest(_server, "thumbs", 1));
        var path = $"/console/api/thumbnail?dataset={Uri.EscapeDataString(dataset)}&ref={Uri.EscapeDataString("s3://media/thumbs/red0.png")}";
        using var made = await _http.GetAsync(path);
        Assert.That(made.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var bytes = await made.Content.ReadAsByteArrayAsync();
        var stored = Directory.GetFiles(Path.Combine(_server.Root, "store", "thumbnails"), "*", SearchOption.AllDirectories);
        Assert.That(stored, Has.Length.EqualTo(1), "one object in the store's thumbnails");
        Assert.That(Path.GetFileName(stored[0]), Does.Match("^[0-9a-f]{64}\\.jpg$"), "named by a hash the store made, not by the source-ref");
        Assert.That(await File.ReadAllBytesAsync(stored[0]), Is.EqualTo(bytes));

        // The image goes: a host that had to decode it would fail; one reading the stored thumbnail does not.
        File.Delete(Path.Combine(_server.BucketsRoot, "media", "thumbs", "red0.png"));
        await using var other = await LocalServerFixture.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Rekognition:StoreRoot"] = Path.Combine(_server.Root, "store"),
            ["Rekognition:BucketsRoot"] = _server.BucketsRoot,
        });
        using var http = new HttpClient { BaseAddress = new Uri(other.Endpoint) };
        using var served = await http.GetAsync(path);
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await served.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes), "the other host served the stored thumbnail");
        using var missing = await http.GetAsync($"/console/api/thumbnail?dataset={Uri.EscapeDataString(dataset)}&ref={Uri.EscapeDataString("s3://media/thumbs/blue0.png")}");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a thumbnail not stored yet is made from its image there");
        Assert.That(Directory.GetFiles(Path.Combine(_server.Root, "store", "thumbnails"), "*", SearchOption.AllDirectories), Has.Length.EqualTo(2));

        await ConsoleStore.Client(_server).DeleteDatasetAsync(new DeleteDatasetRequest { DatasetArn = dataset });
        Assert.That(Directory.GetFiles(Path.Combine(_server.Root, "store", "thumbnails"), "*", SearchOption.AllDirectories), Is.Empty, "they go with their dataset");
    }
}
