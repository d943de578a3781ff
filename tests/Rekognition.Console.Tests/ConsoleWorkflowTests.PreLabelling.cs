using System.Text;
using Microsoft.Playwright;
using Rekognition.Console.Tests.TestSupport;
using Rekognition.Core.Editing;
using Rekognition.Core.Model;
using Rekognition.Server.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Rekognition.Console.Tests;

/// <summary>Assisted labelling in the browser: a running version pre-labels new images, a person accepts one and rejects one.</summary>
public partial class ConsoleWorkflowTests
{
    /// <summary>
    /// Adds a new red and a new blue square, unlabelled, to the project's training dataset, pre-labels them from the
    /// dataset page with <paramref name="version"/> running, and reviews them: the confidences shown are the stored
    /// ones, the accepted image keeps its label as a human one, the rejected one is unlabelled again.
    /// </summary>
    private async Task PreLabelAndReviewAsync(IPage page, string project, string version)
    {
        var client = ConsoleStore.Client(_server);
        var train = (await client.DescribeProjectsAsync(new DescribeProjectsRequest { ProjectNames = ["colours"] })).ProjectDescriptions.Single().Datasets
            .Single(d => d.DatasetType == DatasetType.TRAIN).DatasetArn!;
        var red = _server.PutObject("media", "new/red.png", ColourSquares.Png(new SkiaSharp.SKColor(220, 30, 30), 777));
        var blue = _server.PutObject("media", "new/blue.png", ColourSquares.Png(new SkiaSharp.SKColor(30, 30, 220), 778));
        await client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest
        {
            DatasetArn = train,
            Changes = new DatasetChanges { GroundTruth = new MemoryStream(Encoding.UTF8.GetBytes($"{{\"source-ref\":\"{red}\"}}\n{{\"source-ref\":\"{blue}\"}}\n")) },
        });
        await ConsoleStore.SettledAsync(_server, train);
        await client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version, MinInferenceUnits = 1 });
        await ConsoleStore.VersionStatusAsync(_server, project, version, ProjectVersionStatus.RUNNING);

        await page.GotoAsync(_server.Endpoint + "/console/#/dataset?" + $"arn={Uri.EscapeDataString(train)}&project={Uri.EscapeDataString(project)}");
        await page.GetByLabel("Running version ARN").FillAsync(version);
        await page.GetByRole(AriaRole.Button, new() { Name = "Pre-label unlabelled images" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("2 images pre-labelled, 0 without a suggestion", new() { Timeout = 30_000 });

        await page.GetByRole(AriaRole.Link, new() { Name = "Review pre-labels" }).ClickAsync();
        var queue = page.Locator("#review-queue li");
        await Expect(queue).ToHaveCountAsync(2);
        await Expect(page.Locator("#review-progress tbody td")).ToHaveTextAsync(["26", "26", "0", "2", "24"]);
        foreach (var (sourceRef, label) in new[] { (red, "red"), (blue, "blue") })
        {
            var stored = EntryAnnotations.Parse((await ConsoleStore.EntriesAsync(_server, train)).Single(l => l.Contains(sourceRef, StringComparison.Ordinal)));
            Assert.That(stored.MachineAnnotated, Is.True, "a pre-label is stored as the model's, not a person's");
            var suggestion = stored.Labels.Single();
            Assert.That(suggestion.Name, Is.EqualTo(label));
            var shown = $"{label} {Math.Round(suggestion.Confidence * 100, MidpointRounding.AwayFromZero):0} %";
            await Expect(Item(page, sourceRef).Locator(".pill.machine")).ToHaveTextAsync(shown);
        }

        await ConsoleBrowser.ScreenshotAsync(page, "09-review");
        await Item(page, red).GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("red.png accepted");
        await Item(page, blue).GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("blue.png rejected");
        await Expect(queue).ToHaveCountAsync(0);
        await Expect(page.Locator("#review-progress tbody td")).ToHaveTextAsync(["26", "25", "1", "0", "25"]);
        await Expect(page.GetByText("Nothing waits for review")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "10-reviewed");

        var accepted = EntryAnnotations.Parse((await ConsoleStore.EntriesAsync(_server, train, labeled: true)).Single(l => l.Contains(red, StringComparison.Ordinal)));
        Assert.That(accepted.MachineAnnotated, Is.False, "accepted: a person's label now");
        Assert.That(accepted.Labels.Select(l => l.Name), Is.EqualTo(new[] { "red" }));
        Assert.That(await ConsoleStore.EntriesAsync(_server, train, labeled: false), Has.Some.Contains(blue).And.None.Contains(red), "rejected: back in the unlabelled queue");

        await client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = version });
        await ConsoleStore.VersionStatusAsync(_server, project, version, ProjectVersionStatus.STOPPED);
    }

    private static ILocator Item(IPage page, string sourceRef) =>
        page.Locator("#review-queue li", new() { Has = page.Locator($"img[alt=\"{sourceRef}\"]") });
}
