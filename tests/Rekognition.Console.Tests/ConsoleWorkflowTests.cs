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
public partial class ConsoleWorkflowTests
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

    [Test]
    public async Task TrainATinySet_OpenTheEvaluation_QuickTestAnUpload_PreLabelAndReview_ExportAndReimport()
    {
        var client = ConsoleStore.Client(_server);
        var project = (await client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "colours" })).ProjectArn!;
        await ConsoleStore.DatasetAsync(_server, project, DatasetType.TRAIN, ConsoleStore.SquareManifest(_server, "train", 12));
        var test = await ConsoleStore.DatasetAsync(_server, project, DatasetType.TEST, ConsoleStore.SquareManifest(_server, "test", 4));

        var page = _page = await _browser.NewPageAsync();
        await page.GotoAsync(_server.Endpoint + "/console/#/project?arn=" + Uri.EscapeDataString(project));
        await page.GetByLabel("Version name").FillAsync("v1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Train a version" }).ClickAsync();
        await Expect(page.Locator("#versions")).ToContainTextAsync("TRAINING_IN_PROGRESS");
        await page.GetByRole(AriaRole.Link, new() { Name = "v1" }).ClickAsync();
        await Expect(page.Locator("#version-status")).ToContainTextAsync("TRAINING");
        await ConsoleBrowser.ScreenshotAsync(page, "06-training");
        await Expect(page.Locator("#label-figures")).ToBeVisibleAsync(new() { Timeout = 240_000 });
        await Expect(page.Locator("#label-figures tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#results li").First).ToBeVisibleAsync();
        await page.Locator("#outcome-filter select[name=outcome]").SelectOptionAsync("TRUE_POSITIVE");
        await Expect(page.Locator("#results li .pill.TRUE_POSITIVE").First).ToBeVisibleAsync();
        await Expect(page.Locator("#curves figure")).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await Expect(page.Locator("#curves figcaption")).ToHaveTextAsync(["blue", "red"]);
        await ConsoleBrowser.ScreenshotAsync(page, "07-evaluation");

        // Quick test: the version is not started, yet it labels an upload; a non-image gets the service's error.
        var photo = Path.Combine(_server.Root, "photo.png");
        await File.WriteAllBytesAsync(photo, ColourSquares.Png(new SkiaSharp.SKColor(220, 30, 30), 4242));
        // The first quick test starts the version's session (the model loads: seconds on a loaded machine); the next reuse it.
        await page.Locator("#quick-test-file").SetInputFilesAsync(photo);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test", Exact = true }).ClickAsync();
        await Expect(page.Locator("#quick-test-result td").First).ToHaveTextAsync("red", new() { Timeout = 30_000 });
        await ConsoleBrowser.ScreenshotAsync(page, "08-quick-test");
        var versions = await client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project });
        Assert.That(versions.ProjectVersionDescriptions.Single().Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), "the quick test did not start the version");
        var text = Path.Combine(_server.Root, "notes.png");
        await File.WriteAllTextAsync(text, "not an image");
        await page.Locator("#quick-test-file").SetInputFilesAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test", Exact = true }).ClickAsync();
        await Expect(page.Locator("#alert")).ToContainTextAsync("invalid image format");

        // Assisted labelling with the same version, started.
        await PreLabelAndReviewAsync(page, project, versions.ProjectVersionDescriptions.Single().ProjectVersionArn!);

        // Export the test set as a manifest from the project page, import it again as another project's dataset.
        await page.GotoAsync(_server.Endpoint + "/console/#/project?arn=" + Uri.EscapeDataString(project));
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("tr", new() { HasText = "TEST" }).GetByRole(AriaRole.Link, new() { Name = "Manifest" }).ClickAsync());
        var exported = Path.Combine(_server.BucketsRoot, "media", "exported.manifest");
        await download.SaveAsAsync(exported);
        var copy = (await client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "colours-copy" })).ProjectArn!;
        await page.GotoAsync(_server.Endpoint + "/console/#/project?arn=" + Uri.EscapeDataString(copy));
        await page.GetByLabel("Ground Truth manifest").FillAsync("s3://media/exported.manifest");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create dataset" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "CREATE_COMPLETE" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var reimported = (await client.DescribeProjectsAsync(new DescribeProjectsRequest { ProjectNames = ["colours-copy"] })).ProjectDescriptions.Single().Datasets.Single().DatasetArn;
        Assert.That((await ConsoleStore.EntriesAsync(_server, reimported)).Order(), Is.EqualTo((await ConsoleStore.EntriesAsync(_server, test)).Order()));

        var coco = await page.RunAndWaitForDownloadAsync(() => page.GotoAsync(_server.Endpoint + "/console/api/export?format=coco&dataset=" + Uri.EscapeDataString(test)).ContinueWith(_ => { }));
        using var document = System.Text.Json.JsonDocument.Parse(await File.ReadAllBytesAsync((await coco.PathAsync())!));
        Assert.That(document.RootElement.GetProperty("images").GetArrayLength(), Is.EqualTo(8));
        Assert.That(document.RootElement.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("name").GetString()), Is.EqualTo(new[] { "blue", "red" }));
    }
}
