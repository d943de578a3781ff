using System.Net;
using System.Text;
using System.Text.Json;
using Rekognition.Console.Tests.TestSupport;
using Rekognition.Core.Model;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Console.Tests;

/// <summary>The review queue of assisted labelling, through the API.</summary>
public partial class ConsoleApiTests
{
    [Test]
    public async Task TheReviewQueue_IsOrderedByUncertainty_CountsProgress_AndARejectedPreLabelReturnsToTheUnlabelledQueue()
    {
        var project = (await ConsoleStore.Client(_server).CreateProjectAsync(new CreateProjectRequest { ProjectName = "review" })).ProjectArn!;
        var lines = new StringBuilder();
        foreach (var (name, top, second) in new[] { ("sure", 0.95, 0.1), ("unsure", 0.55, 0.5), ("lowest", 0.4, 0.05) })
        {
            var uri = _server.PutObject("media", $"review/{name}.png", ConsoleImages.Scene(SkiaSharp.SKColors.Red, 1));
            lines.Append(FormattableString.Invariant($$$"""{"source-ref":"{{{uri}}}","a":0,"a-metadata":{"confidence":{{{top}}},"class-name":"red","human-annotated":"no","type":"groundtruth/image-classification","job-name":"prelabel","creation-date":"2024-01-01T00:00:00"},"b":0,"b-metadata":{"confidence":{{{second}}},"class-name":"blue","human-annotated":"no","type":"groundtruth/image-classification","job-name":"prelabel","creation-date":"2024-01-01T00:00:00"}}"""))
                .Append('\n');
        }

        lines.Append(ManifestLines.Classification(_server.PutObject("media", "review/human.png", ConsoleImages.Scene(SkiaSharp.SKColors.Blue, 1)), "blue", "colour")).Append('\n');
        lines.Append($$"""{"source-ref":"{{_server.PutObject("media", "review/new.png", ConsoleImages.Scene(SkiaSharp.SKColors.Green, 1))}}"}""").Append('\n');
        var dataset = await ConsoleStore.DatasetAsync(_server, project, DatasetType.TRAIN, _server.PutObject("media", "review.manifest", Encoding.UTF8.GetBytes(lines.ToString())));

        var (_, least) = await SendAsync(HttpMethod.Get, $"review?dataset={Uri.EscapeDataString(dataset)}", null);
        var (_, margin) = await SendAsync(HttpMethod.Get, $"review?dataset={Uri.EscapeDataString(dataset)}&order=margin", null);
        Assert.That(Names(least), Is.EqualTo(new[] { "lowest.png", "unsure.png", "sure.png" }), least.ToString());
        Assert.That(Names(margin), Is.EqualTo(new[] { "unsure.png", "lowest.png", "sure.png" }));
        var progress = least.GetProperty("progress");
        Assert.That(new[] { "total", "labeled", "unlabeled", "preLabeled", "reviewed" }.Select(p => progress.GetProperty(p).GetInt32()), Is.EqualTo(new[] { 5, 4, 1, 3, 1 }));

        var lowest = least.GetProperty("entries")[0];
        var (status, _) = await SendAsync(HttpMethod.Post, "entry/reject", JsonSerializer.Serialize(new { dataset, sourceRef = lowest.GetProperty("sourceRef").GetString(), revision = lowest.GetProperty("revision").GetInt64() }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var unsure = least.GetProperty("entries")[1];
        (status, _) = await SendAsync(HttpMethod.Post, "entry", JsonSerializer.Serialize(new { dataset, sourceRef = unsure.GetProperty("sourceRef").GetString(), revision = unsure.GetProperty("revision").GetInt64(), labels = new[] { "red" } }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), "accepted (saved as a human label)");

        var (_, after) = await SendAsync(HttpMethod.Get, $"review?dataset={Uri.EscapeDataString(dataset)}", null);
        Assert.That(Names(after), Is.EqualTo(new[] { "sure.png" }));
        Assert.That(await ConsoleStore.EntriesAsync(_server, dataset, labeled: false), Has.Some.Contains("review/lowest.png"));
        Assert.That(after.GetProperty("progress").GetProperty("reviewed").GetInt32(), Is.EqualTo(2));
    }

    private static string[] Names(JsonElement page) => [.. page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sourceRef").GetString()!.Split('/')[^1])];
}
