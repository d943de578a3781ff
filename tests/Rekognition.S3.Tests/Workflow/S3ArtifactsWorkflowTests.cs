using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.Management;
using Rekognition.Core.Tests.TestSupport;
using Rekognition.S3.Tests.TestSupport;

namespace Rekognition.S3.Tests.Workflow;

/// <summary>The workflow with its artifacts in S3: what a second host needs is in the bucket, not on this host's disk.</summary>
public class S3ArtifactsWorkflowTests
{
    [Test]
    public async Task TrainEvaluateStartDetect_WithTheModelAndEvaluationInS3()
    {
        var artifacts = await S3TestServer.CreateBucketAsync("artifacts");
        await using var store = new TestStore(new AspectRatioRuntime(), new AspectRatioTrainer(), o => S3TestServer.Configure(o, artifacts), s => s.AddRekognitionS3());
        var project = await TrainedModels.ProjectAsync(store);

        var version = await TrainedModels.TrainAsync(store, project);
        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        Assert.That(version.EvaluationResult?.F1Score, Is.GreaterThan(0.5f));

        var keys = await S3TestServer.KeysAsync(artifacts, "stores/test/");
        var package = store.ArtifactKey(version.ProjectVersionArn!);
        Assert.That(keys, Does.Contain($"stores/test/{package}/model.onnx").And.Contain($"stores/test/{package}/model.json"), string.Join("\n", keys));
        Assert.That(keys.Any(k => k.EndsWith("evaluation.html", StringComparison.Ordinal)), Is.True, "the evaluation report is an object too");
        Assert.That(Directory.Exists(Path.Combine(store.Options.StoreRoot, "models")), Is.False, "no model package on this host's disk");

        await TrainedModels.StartAsync(store, project, version.ProjectVersionArn!);
        var wide = await TrainedModels.DetectAsync(store.Client, version.ProjectVersionArn!, 200, 100);
        Assert.That(wide.OrderByDescending(l => l.Confidence).First().Name, Is.EqualTo("cat"));

        // The running model is the bucket's object, fetched once into the local cache.
        var cached = Path.Combine([store.Options.StoreRoot, "cache", .. package.Split('/'), "model.onnx"]);
        Assert.That(await File.ReadAllBytesAsync(cached), Is.EqualTo(await S3TestServer.GetAsync(artifacts, $"stores/test/{package}/model.onnx")));
    }
}
