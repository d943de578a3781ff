using Rekognition.Core.Model;
using Rekognition.Core.Promotion;
using Rekognition.Core.Tests.TestSupport;
using static Rekognition.Core.Tests.Management.TrainedModels;

namespace Rekognition.Core.Tests.Management;

public class PromotionTests
{
    private static TestStore SlowStore() =>
        new(new SlowRuntime(new AspectRatioRuntime(), TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(30)), new AspectRatioTrainer());

    [Test]
    public async Task Promotion_UnderLoad_FailsNoRequest_AndStopsTheOldVersion()
    {
        await using var store = SlowStore();
        var client = store.Client;
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project, "v1")).ProjectVersionArn!;
        var v2 = (await TrainAsync(store, project, "v2")).ProjectVersionArn!;
        await StartAsync(store, project, v1);
        await store.Aliases.PutModelAliasAsync(project, "production", v1);

        // Four callers detect through the alias, without pause, all through the promotion.
        var callers = new AliasCallers(store.Aliases, project, "production", 4, answer => Assert.That(answer.Response.CustomLabels[0].Name, Is.EqualTo("cat")));

        await Task.Delay(50);
        var result = await store.Aliases.PromoteProjectVersionAsync(new PromoteProjectVersionRequest { ProjectArn = project, AliasName = "production", ProjectVersionArn = v2 });
        await Task.Delay(50);
        await callers.StopAsync();

        Assert.That(callers.Failures, Is.Empty, callers.FailureReport);
        Assert.That(result, Is.EqualTo(new PromotionResult("production", v2, v1, PreviousVersionStopped: true)));
        Assert.That(callers.Served, Has.Some.EqualTo(v1).And.Some.EqualTo(v2), "requests ran on the old version while the new one started, then on the new one");
        Assert.That((await DescribeAsync(store, project, v1)).Status, Is.EqualTo(ProjectVersionStatus.STOPPED));
        Assert.That((await DescribeAsync(store, project, v2)).Status, Is.EqualTo(ProjectVersionStatus.RUNNING));
        Assert.That(await store.Aliases.GetModelAliasAsync(project, "production"), Is.EqualTo(v2));
    }

    [Test]
    public async Task APromotionWhoseVersionCannotStart_LeavesTheAliasAndTheOldVersion()
    {
        await using var store = Store();
        var client = store.Client;
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project, "v1")).ProjectVersionArn!;
        var v2 = (await TrainAsync(store, project, "v2")).ProjectVersionArn!;
        await StartAsync(store, project, v1);
        await store.Aliases.PutModelAliasAsync(project, "production", v1);
        File.Delete(Path.Combine(store.ArtifactDirectory(v2), "model.onnx"));

        var error = Assert.ThrowsAsync<ResourceNotReadyException>(() => store.Aliases.PromoteProjectVersionAsync(new PromoteProjectVersionRequest { ProjectArn = project, AliasName = "production", ProjectVersionArn = v2 }));
        Assert.That(error!.Message, Does.Contain("still points where it did"));
        Assert.That(await store.Aliases.GetModelAliasAsync(project, "production"), Is.EqualTo(v1));
        Assert.That((await DescribeAsync(store, project, v1)).Status, Is.EqualTo(ProjectVersionStatus.RUNNING));
    }

    [Test]
    public async Task Aliases_AreKeptAcrossRestarts_AndChecked()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project, "v1")).ProjectVersionArn!;
        var other = await store.CreateProjectAsync("other");

        await store.Aliases.PutModelAliasAsync(project, "production", v1);
        await store.ReopenAsync();
        Assert.That(await store.Aliases.GetModelAliasAsync(project, "production"), Is.EqualTo(v1));

        Assert.ThrowsAsync<InvalidParameterException>(() => store.Aliases.PutModelAliasAsync(other, "production", v1), "an alias points at its own project's versions");
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Aliases.PutModelAliasAsync(project, "bad name!", v1));
        Assert.ThrowsAsync<ResourceNotReadyException>(() => store.Aliases.DetectCustomLabelsWithAliasAsync(project, "production",
            new DetectCustomLabelsRequest { Image = new Image { Bytes = new MemoryStream(PngBuilder.Rgb(130, 64)) } }), "the version does not run");
        await store.Aliases.DeleteModelAliasAsync(project, "production");
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Aliases.GetModelAliasAsync(project, "production"));
    }
}
