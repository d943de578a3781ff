using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.EvaluationViews;
using Rekognition.Core.Tests.TestSupport;
using static Rekognition.Core.Tests.Management.TrainedModels;

namespace Rekognition.Core.Tests.Management;

/// <summary>
/// The console's model views on the library: the precision-recall curves are computed once per version and kept.
/// </summary>
public class PrecisionRecallCurveStoreTests
{
    private static (TestStore Store, CountingRuntime Runtime) CountingStore()
    {
        var runtime = new CountingRuntime(new AspectRatioRuntime());
        return (new TestStore(runtime, new AspectRatioTrainer()), runtime);
    }

    [Test]
    public async Task TheCurves_AreComputedOnce_AndKeptBesideThePackage()
    {
        var (store, runtime) = CountingStore();
        await using var _ = store;
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project, "v1")).ProjectVersionArn!;
        var views = store.Services.GetRequiredService<IEvaluationViewClient>();
        var trained = runtime.Started; // the training's own evaluation ran the model too

        var first = await views.GetPrecisionRecallCurvesAsync(v1);
        Assert.That(runtime.Started - trained, Is.EqualTo(1), "the model ran once over the test images");
        Assert.That(first.Select(c => c.Label), Is.EqualTo(new[] { "cat", "dog" }));
        Assert.That(first[0].Points[^1].Recall, Is.EqualTo(1.0), "the lowest threshold finds every cat");

        await store.ReopenAsync(); // kept in the store, not in this process
        var again = await store.Services.GetRequiredService<IEvaluationViewClient>().GetPrecisionRecallCurvesAsync(v1);
        Assert.That(runtime.Started - trained, Is.EqualTo(1), "the kept curves were read back; the model did not run again");
        Assert.That(again.Select(c => c.Points), Is.EqualTo(first.Select(c => c.Points)));
        Assert.That(File.Exists(Path.Combine(store.ArtifactDirectory(v1), "pr-curves.json")), Is.True);
    }
}
