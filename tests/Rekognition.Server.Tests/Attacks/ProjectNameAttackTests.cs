using SkiaSharp;

namespace Rekognition.Server.Tests.Attacks;

/// <summary>
/// Project and version names that are path names ("." and ".." fit the service's name pattern): a model is trained
/// from end to end under such names, started and asked, and the store keeps its folders apart, under its root.
/// </summary>
[Category("Attacks")]
public class ProjectNameAttackTests : AttackGround
{
    [TestCase("..", "..")]
    [TestCase(".", ".")]
    public async Task AProjectNamedLikeAPathFolder_TrainsStartsAndAnswers(string projectName, string versionName)
    {
        var project = await CreateProjectAsync(projectName);
        var folder = projectName == ".." ? "dotdot" : "dot";
        await CreateDatasetAsync(project, "TRAIN", "imgs", PutManifest($"{folder}-train", 6));
        await CreateDatasetAsync(project, "TEST", "imgs", PutManifest($"{folder}-test", 2));

        // The files would go to prefix + VersionName + "/": "." or ".." there is refused as a key segment.
        await RefusedAsync("CreateProjectVersion", new { ProjectArn = project, VersionName = versionName, OutputConfig = new { S3Bucket = "artifacts", S3KeyPrefix = $"{folder}/" } }, "InvalidParameterException");

        var arn = (await OkAsync("CreateProjectVersion", new { ProjectArn = project, VersionName = "v1", OutputConfig = new { S3Bucket = "artifacts", S3KeyPrefix = $"{folder}/" } }))
            .GetProperty("ProjectVersionArn").GetString()!;
        var trained = await SettledVersionAsync(project, "v1", "TRAINING_IN_PROGRESS");
        Assert.That(trained.GetProperty("Status").GetString(), Is.EqualTo("TRAINING_COMPLETED"), trained.ToString());
        var summary = trained.GetProperty("EvaluationResult").GetProperty("Summary").GetProperty("S3Object").GetProperty("Name").GetString()!;
        Assert.That(File.Exists(Path.Combine(Buckets, "artifacts", folder, "v1", Path.GetFileName(summary))), Is.True, summary);

        // The model package is where the catalog's ids put it, and training's scratch folder is gone.
        var models = Directory.GetFiles(Path.Combine(Server.Root, "store", "models"), "model.onnx", SearchOption.AllDirectories);
        Assert.That(models, Is.Not.Empty);
        Assert.That(models.All(m => Path.GetFullPath(m).StartsWith(Path.Combine(Server.Root, "store", "models") + Path.DirectorySeparatorChar, StringComparison.Ordinal)));

        await OkAsync("StartProjectVersion", new { ProjectVersionArn = arn, MinInferenceUnits = 1 });
        var running = await SettledVersionAsync(project, "v1", "STARTING");
        Assert.That(running.GetProperty("Status").GetString(), Is.EqualTo("RUNNING"), running.ToString());

        Server.PutObject("imgs", $"{folder}-photo.png", Square(new SKColor(220, 30, 30), 4242));
        var labels = (await OkAsync("DetectCustomLabels", new { ProjectVersionArn = arn, Image = new { S3Object = new { Bucket = "imgs", Name = $"{folder}-photo.png" } }, MinConfidence = 0 }))
            .GetProperty("CustomLabels");
        Assert.That(labels[0].GetProperty("Name").GetString(), Is.EqualTo("red"));

        // The running model still refuses an image behind a link out.
        Link("imgs", $"{folder}-link.png", Path.Combine(Outside, "secret.png"));
        await RefusedAsync("DetectCustomLabels", new { ProjectVersionArn = arn, Image = new { S3Object = new { Bucket = "imgs", Name = $"{folder}-link.png" } } }, "InvalidS3ObjectException");

        await OkAsync("StopProjectVersion", new { ProjectVersionArn = arn });
        var stopped = await SettledVersionAsync(project, "v1", "STOPPING");
        Assert.That(stopped.GetProperty("Status").GetString(), Is.EqualTo("STOPPED"), stopped.ToString());

        // A start that fails tells the caller why without naming the store's folders.
        foreach (var model in models)
        {
            File.Delete(model);
        }

        await OkAsync("StartProjectVersion", new { ProjectVersionArn = arn, MinInferenceUnits = 1 });
        var failed = await SettledVersionAsync(project, "v1", "STARTING");
        Assert.That(failed.GetProperty("Status").GetString(), Is.EqualTo("FAILED"), failed.ToString());
        Assert.That(failed.GetProperty("StatusMessage").GetString(), Does.StartWith("The model could not be started").And.Not.Contain(Server.Root));
        AssertNothingEscaped();
    }
}
