using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Model;
using Rekognition.Core.Promotion;
using Rekognition.Core.Services.Hosting;
using Rekognition.Core.Tests.TestSupport;
using static Rekognition.Core.Tests.Management.TrainedModels;

namespace Rekognition.Core.Tests.Management;

/// <summary>
/// A promotion waits for the old version's requests on every serving host of the catalog, not only its own: callers
/// detecting through the alias on a second host see no failure while the first host promotes and stops the old version.
/// </summary>
public class PromotionAcrossHostsTests
{
    [Test]
    public async Task APromotionOnOneHost_WaitsForTheRequestsOfAnother_AndStopsTheOldVersion()
    {
        // Slow detections (200 ms), so a request of the second host is under way whenever the alias moves.
        await using var store = new TestStore(new SlowRuntime(new AspectRatioRuntime(), TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(200)), new AspectRatioTrainer());
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project, "v1")).ProjectVersionArn!;
        var v2 = (await TrainAsync(store, project, "v2")).ProjectVersionArn!;
        await StartAsync(store, project, v1);
        await store.Aliases.PutModelAliasAsync(project, "production", v1);

        await using var other = store.BuildServices(); // another host on the same catalog (its own host id), serving too
        var loaded = other.GetRequiredService<RunningModels>();
        var there = other.GetRequiredService<IModelAliasClient>();
        for (var i = 0; i < 500 && !loaded.TryGet(v1, out _); i++)
        {
            await Task.Delay(20);
        }

        Assert.That(loaded.TryGet(v1, out _), Is.True, "the second host serves v1");

        var callers = new AliasCallers(there, project, "production", 4);
        await Task.Delay(300);
        var result = await store.Aliases.PromoteProjectVersionAsync(new PromoteProjectVersionRequest { ProjectArn = project, AliasName = "production", ProjectVersionArn = v2 });
        await Task.Delay(300);
        await callers.StopAsync();

        Assert.That(callers.Failures, Is.Empty, callers.FailureReport);
        Assert.That(result, Is.EqualTo(new PromotionResult("production", v2, v1, PreviousVersionStopped: true)));
        Assert.That(callers.Served, Has.Some.EqualTo(v1).And.Some.EqualTo(v2), "the second host's requests ran on v1, then on v2");
        Assert.That((await DescribeAsync(store, project, v1)).Status, Is.EqualTo(ProjectVersionStatus.STOPPED));
        Assert.That(loaded.TryGet(v1, out _), Is.False, "unloaded on the second host too");
    }
}
