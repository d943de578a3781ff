using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rekognition.Console.Tests.TestSupport;
using Rekognition.Core.Billing;
using Rekognition.Core.Model;
using Rekognition.Core.Promotion;
using Rekognition.Server.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Rekognition.Console.Tests;

/// <summary>The model view's running hours and the project's retraining loop (sharing the workflow tests' server and browser).</summary>
public partial class ConsoleWorkflowTests
{
    private async Task<ProjectVersionDescription> TrainedAsync(string project, string versionArn)
    {
        for (var i = 0; i < 2400; i++)
        {
            var v = (await ConsoleStore.Client(_server).DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project }))
                .ProjectVersionDescriptions.Single(d => d.ProjectVersionArn == versionArn);
            if (v.Status != ProjectVersionStatus.TRAINING_IN_PROGRESS)
            {
                Assert.That(v.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), v.StatusMessage);
                return v;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{versionArn} is still training.");
    }

    [Test]
    public async Task RunningHours_AreShown_AndTheRetrainingLoopTrainsAndPromotes_FromTheProjectPage()
    {
        var client = ConsoleStore.Client(_server);
        var project = (await client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "loop" })).ProjectArn!;
        var train = await ConsoleStore.DatasetAsync(_server, project, DatasetType.TRAIN, ConsoleStore.SquareManifest(_server, "loop-train", 12));
        await ConsoleStore.DatasetAsync(_server, project, DatasetType.TEST, ConsoleStore.SquareManifest(_server, "loop-test", 4));
        var v1 = (await client.CreateProjectVersionAsync(new CreateProjectVersionRequest
        {
            ProjectArn = project, VersionName = "v1", OutputConfig = new OutputConfig { S3Bucket = "training-output", S3KeyPrefix = "loop/" },
        })).ProjectVersionArn!;
        await TrainedAsync(project, v1);

        // Start v1 on 2 units from the project page; its page shows the open interval.
        var page = _page = await _browser.NewPageAsync();
        await page.GotoAsync(_server.Endpoint + "/console/#/project?arn=" + Uri.EscapeDataString(project));
        var row = page.Locator("#versions tr", new() { HasText = "v1" });
        await row.GetByLabel("Units").FillAsync("2");
        await row.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();
        await Expect(row).ToContainTextAsync("RUNNING", new() { Timeout = 60_000 });
        await page.GetByRole(AriaRole.Link, new() { Name = "v1" }).ClickAsync();
        await Expect(page.Locator("#billing-total")).ToContainTextAsync("running now");
        await Expect(page.Locator("#billing tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#billing tbody td").Nth(1)).ToHaveTextAsync("running");
        await Expect(page.Locator("#billing tbody td").Nth(2)).ToHaveTextAsync("2");
        await ConsoleBrowser.ScreenshotAsync(page, "09-running-hours");

        // The retraining policy is set, switched and checked from the project page.
        await page.GotoAsync(_server.Endpoint + "/console/#/project?arn=" + Uri.EscapeDataString(project));
        await page.GetByLabel("Alias").FillAsync("production");
        await page.GetByLabel("New labelled images").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await Expect(page.Locator("#retraining-state")).ToContainTextAsync("On · 0 new labelled images");

        var lines = new StringBuilder();
        foreach (var (label, colour, i) in new[] { ("red", new SkiaSharp.SKColor(220, 30, 30), 50), ("blue", new SkiaSharp.SKColor(30, 30, 220), 1050) })
        {
            var uri = _server.PutObject("media", $"loop-more/{label}.png", ColourSquares.Png(colour, i));
            lines.Append(ManifestLines.Classification(uri, label, "colour")).Append('\n');
        }

        await client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest { DatasetArn = train, Changes = new DatasetChanges { GroundTruth = new MemoryStream(Encoding.UTF8.GetBytes(lines.ToString())) } });
        await ConsoleStore.SettledAsync(_server, train);
        await page.ReloadAsync();
        await Expect(page.Locator("#retraining-state")).ToContainTextAsync("2 new labelled images");

        await page.GetByRole(AriaRole.Button, new() { Name = "Check now" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Training auto-");
        var versions = (await client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project })).ProjectVersionDescriptions;
        var retrained = versions.Single(v => v.ProjectVersionArn != v1).ProjectVersionArn!;
        await TrainedAsync(project, retrained);

        await page.GotoAsync(_server.Endpoint + "/console/#/project?arn=" + Uri.EscapeDataString(project));
        await page.GetByRole(AriaRole.Button, new() { Name = "Check now" }).ClickAsync();
        await Expect(page.Locator("#promotions tbody tr")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(page.Locator("#promotions tbody tr td").Nth(7)).ToHaveTextAsync("yes");
        await ConsoleBrowser.ScreenshotAsync(page, "10-retraining");
        Assert.That(await _server.Services.GetRequiredService<IModelAliasClient>().GetModelAliasAsync(project, "production"), Is.EqualTo(retrained),
            "the alias pointed nowhere, so the new version took it");

        // Switched off: the policy stays, its state says so.
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "On" }).UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await Expect(page.Locator("#retraining-state")).ToContainTextAsync("Off ·");

        // Stop v1: its interval closes, and the library reports the same inference hours as the page.
        await client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = v1 });
        var billing = await _server.Services.GetRequiredService<IBillingClient>().GetVersionBillingAsync(v1);
        Assert.That(billing.Running, Is.False);
        Assert.That(billing.Intervals.Single().InferenceUnits, Is.EqualTo(2));
        Assert.That(billing.InferenceHours, Is.EqualTo(billing.Hours * 2).Within(1e-12));
        await page.GotoAsync(_server.Endpoint + "/console/#/version?" + $"project={Uri.EscapeDataString(project)}&arn={Uri.EscapeDataString(v1)}");
        await Expect(page.Locator("#billing tbody td").Nth(1)).Not.ToHaveTextAsync("running");
        await Expect(page.Locator("#billing-total")).Not.ToContainTextAsync("running now");
    }
}
