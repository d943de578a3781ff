using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rekognition.Console.Tests.TestSupport;
using Rekognition.Core.Editing;
using Rekognition.Core.Model;
using Rekognition.Server.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Rekognition.Console.Tests;

/// <summary>The console in a real browser (Debian's Chromium through Playwright) against LocalServer without credentials.</summary>
[NonParallelizable]
public class ConsoleWorkflowTests
{
    private LocalServerFixture _server = null!;
    private ConsoleBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _browser = await ConsoleBrowser.LaunchAsync();
        _server = await LocalServerFixture.StartAsync();
    }

    private IPage? _page;

    /// <summary>A failed test leaves a screenshot of where it stopped.</summary>
    [TearDown]
    public async Task ScreenshotOnFailureAsync()
    {
        if (_page is not null && TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            await ConsoleBrowser.ScreenshotAsync(_page, "failed-" + TestContext.CurrentContext.Test.MethodName);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task CreateAProject_ImportAManifest_LabelAnImage_DrawABox_RenameALabel_RejectLabels()
    {
        var manifest = ConsoleStore.SceneManifest(_server, "scenes", perLabel: 3, unlabelled: 2);
        var page = _page = await _browser.NewPageAsync();
        await page.GotoAsync(_server.Endpoint + "/console/");
        await page.GetByLabel("New project name").FillAsync("scenes");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "01-projects");
        await page.GetByRole(AriaRole.Link, new() { Name = "scenes", Exact = true }).ClickAsync();

        await page.GetByLabel("Ground Truth manifest").FillAsync(manifest);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create dataset" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "CREATE_COMPLETE" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await ConsoleBrowser.ScreenshotAsync(page, "02-project");
        var dataset = (await ConsoleStore.Client(_server).DescribeProjectsAsync(new DescribeProjectsRequest { ProjectNames = ["scenes"] })).ProjectDescriptions.Single().Datasets.Single().DatasetArn;

        // The gallery: thumbnails, then the unlabelled filter.
        await page.GetByRole(AriaRole.Link, new() { Name = "TRAIN" }).ClickAsync();
        await Expect(page.Locator("#gallery li")).ToHaveCountAsync(8);
        await Expect(page.Locator("#gallery img").First).ToHaveJSPropertyAsync("complete", true);
        await ConsoleBrowser.ScreenshotAsync(page, "03-gallery");
        await page.GetByLabel("Labelled").SelectOptionAsync("false");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.Locator("#gallery li")).ToHaveCountAsync(2);

        // Label an unlabelled image: an image-level label, and a box drawn with the mouse.
        await page.Locator("#gallery li a").First.ClickAsync();
        var canvas = page.Locator("canvas");
        await Expect(canvas).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "red" }).CheckAsync();
        await page.GetByLabel("Label for new boxes").SelectOptionAsync("red");
        var bounds = (await canvas.BoundingBoxAsync())!;
        var scale = bounds.Width / ConsoleImages.Width;
        await page.Mouse.MoveAsync(bounds.X + (40 * scale), bounds.Y + (30 * scale));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(bounds.X + (100 * scale), bounds.Y + (80 * scale), new() { Steps = 5 });
        await page.Mouse.MoveAsync(bounds.X + (160 * scale), bounds.Y + (130 * scale), new() { Steps = 5 });
        await page.Mouse.UpAsync();
        await page.Keyboard.PressAsync("s");
        await Expect(page.Locator("#entry-state")).ToContainTextAsync("saved");
        await ConsoleBrowser.ScreenshotAsync(page, "04-labeler");

        var sourceRef = "s3://media/scenes/new0.png";
        var stored = EntryAnnotations.Parse((await ConsoleStore.EntriesAsync(_server, dataset)).Single(l => l.Contains(sourceRef, StringComparison.Ordinal)));
        Assert.That(stored.Labels.Select(l => l.Name), Is.EqualTo(new[] { "red" }));
        var box = stored.Boxes.Single();
        Assert.That(box.Label, Is.EqualTo("red"));
        Assert.That(box.Left, Is.EqualTo(40).Within(2));
        Assert.That(box.Top, Is.EqualTo(30).Within(2));
        Assert.That(box.Width, Is.EqualTo(120).Within(3));
        Assert.That(box.Height, Is.EqualTo(100).Within(3));

        // Move the box with the keyboard, relabel it with a digit, save again.
        await canvas.FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Shift+ArrowRight");
        await page.Keyboard.PressAsync("1");
        await page.Keyboard.PressAsync("s");
        await Expect(page.Locator("#entry-state")).ToContainTextAsync("Revision 3");
        stored = EntryAnnotations.Parse((await ConsoleStore.EntriesAsync(_server, dataset)).Single(l => l.Contains(sourceRef, StringComparison.Ordinal)));
        Assert.That(stored.Boxes.Single().Left, Is.EqualTo(box.Left + 10));
        Assert.That(stored.Boxes.Single().Label, Is.EqualTo("blue"), "digit 1 picks the first label (blue, red in name order) and relabels the selected box");

        // Rename a label: every entry using it is rewritten.
        await page.GotoAsync(_server.Endpoint + "/console/#/dataset?arn=" + Uri.EscapeDataString(dataset));
        await page.Locator("#rename-label select").SelectOptionAsync("blue");
        await page.Locator("#rename-label input").FillAsync("navy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
        await Expect(page.Locator("#labels")).ToContainTextAsync("navy");
        await ConsoleBrowser.ScreenshotAsync(page, "05-labels-renamed");
        var labels = (await ConsoleStore.Client(_server).ListDatasetLabelsAsync(new ListDatasetLabelsRequest { DatasetArn = dataset })).DatasetLabelDescriptions.Select(l => l.LabelName).ToList();
        Assert.That(labels, Does.Contain("navy").And.Not.Contain("blue"));
        Assert.That(string.Join('\n', await ConsoleStore.EntriesAsync(_server, dataset)), Does.Not.Contain("\"blue\""));
        stored = EntryAnnotations.Parse((await ConsoleStore.EntriesAsync(_server, dataset)).Single(l => l.Contains(sourceRef, StringComparison.Ordinal)));
        Assert.That(stored.Boxes.Single().Label, Is.EqualTo("navy"), "the box drawn in the console was renamed too");

        // Reject a human label: the image goes back to the unlabelled queue.
        await page.GotoAsync(_server.Endpoint + "/console/#/label?dataset=" + Uri.EscapeDataString(dataset) + "&ref=" + Uri.EscapeDataString("s3://media/scenes/red1.png"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Reject labels" }).ClickAsync();
        await Expect(page.Locator("#entry-state")).ToContainTextAsync("unlabelled queue");
        var unlabelled = await ConsoleStore.EntriesAsync(_server, dataset, labeled: false);
        Assert.That(unlabelled, Has.Some.Contains("scenes/red1.png"));
    }
}
