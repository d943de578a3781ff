using System.Text.Json;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Tests.TestSupport;
using Rekognition.Core.Training;

namespace Rekognition.Core.Tests.Training;

public class CreateProjectVersionTests
{
    private static readonly OutputConfig Output = new() { S3Bucket = "artifacts", S3KeyPrefix = "pets/" };

    /// <summary>A store with a project whose images are wide for "cat" and tall for "dog".</summary>
    private static async Task<(TestStore Store, AspectRatioTrainer Trainer, string Project)> ProjectAsync(int cats, int dogs, bool testDataset, int testCats = 3, int testDogs = 3)
    {
        var trainer = new AspectRatioTrainer();
        var store = new TestStore(new AspectRatioRuntime(), trainer);
        var project = await store.CreateProjectAsync("pets");
        await PetDatasets.CreateAsync(store, project, "TRAIN", "train", cats, dogs);
        if (testDataset)
        {
            await PetDatasets.CreateAsync(store, project, "TEST", "test", testCats, testDogs);
        }

        return (store, trainer, project);
    }

    private static async Task<ProjectVersionDescription> TrainedAsync(TestStore store, string project, string versionArn)
    {
        await store.Client.WhenIdleAsync();
        var all = await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project });
        return all.ProjectVersionDescriptions.Single(v => v.ProjectVersionArn == versionArn);
    }

    private static CreateProjectVersionRequest Request(string project, string name = "v1") =>
        new() { ProjectArn = project, VersionName = name, OutputConfig = Output };

    [Test]
    public async Task Training_ValidatesTrainsEvaluatesAndDescribesTheVersion()
    {
        var (store, trainer, project) = await ProjectAsync(cats: 10, dogs: 10, testDataset: true);
        await using var _ = store;
        var progress = new List<TrainingProgress>();
        var arn = (await store.Training.CreateProjectVersionAsync(Request(project), new TrainingRunOptions { Progress = new Progress<TrainingProgress>(progress.Add) })).ProjectVersionArn!;

        Assert.That(arn, Does.Match(@"^arn:aws:rekognition:us-east-1:123456789012:project/pets/version/v1/[0-9]+$"));
        var version = await TrainedAsync(store, project, arn);

        Assert.Multiple(() =>
        {
            Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
            Assert.That(version.StatusMessage, Is.EqualTo("The model is ready to run."));
            Assert.That(version.BillableTrainingTimeInSeconds, Is.GreaterThanOrEqualTo(1));
            Assert.That(version.TrainingEndTimestamp, Is.Not.Null);
            Assert.That(version.OutputConfig!.S3Bucket, Is.EqualTo("artifacts"));
            Assert.That(version.EvaluationResult!.F1Score, Is.EqualTo(1f), "wide and tall images are told apart");
        });

        var job = trainer.Jobs.Single();
        Assert.That(job.Kind, Is.EqualTo(ModelKind.MultiClass));
        Assert.That(job.Labels, Is.EqualTo(new[] { "cat", "dog" }));
        Assert.That(job.TrainImages, Has.Count.EqualTo(20));
        Assert.That(job.ValidationImages, Has.Count.EqualTo(6));
        Assert.That(trainer.Reported, Has.Count.EqualTo(3));

        // Every location DescribeProjectVersions gives is a file under the buckets root.
        var summaryFile = store.LocalPath(version.EvaluationResult!.Summary!.S3Object!);
        Assert.That(Path.GetFileName(summaryFile), Is.EqualTo("EvaluationSummary-pets-v1.json"));
        foreach (var location in new[]
                 {
                     version.ManifestSummary!.S3Object!, version.EvaluationResult.Summary.S3Object!,
                     version.TrainingDataResult!.Input!.Assets[0].GroundTruthManifest!.S3Object!,
                     version.TrainingDataResult.Output!.Assets[0].GroundTruthManifest!.S3Object!,
                     version.TrainingDataResult.Validation!.Assets[0].GroundTruthManifest!.S3Object!,
                     version.TestingDataResult!.Input!.Assets[0].GroundTruthManifest!.S3Object!,
                     version.TestingDataResult.Output!.Assets[0].GroundTruthManifest!.S3Object!,
                     version.TestingDataResult.Validation!.Assets[0].GroundTruthManifest!.S3Object!,
                 })
        {
            Assert.That(location.Bucket, Is.EqualTo("artifacts"));
            Assert.That(location.Name, Does.StartWith("pets/v1/"));
            Assert.That(File.Exists(store.LocalPath(location)), Is.True, location.Name);
        }

        using var summary = JsonDocument.Parse(File.ReadAllText(summaryFile));
        Assert.That(summary.RootElement.GetProperty("EvaluationDetails").GetProperty("NumberOfTrainingImages").GetInt32(), Is.EqualTo(20));
        Assert.That(File.ReadAllLines(store.LocalPath(version.TestingDataResult.Output.Assets[0].GroundTruthManifest!.S3Object!)), Has.Length.EqualTo(6));
        Assert.That(File.ReadAllLines(store.LocalPath(version.TrainingDataResult.Output.Assets[0].GroundTruthManifest!.S3Object!)), Has.Length.EqualTo(20));

        // The evaluation chose each label's assumed threshold, which DetectCustomLabels applies without MinConfidence.
        var exported = await store.Models.ExportProjectVersionAsync(new ExportProjectVersionRequest { ProjectVersionArn = arn, DestinationDirectory = Path.Combine(store.Root, "export") });
        var metadata = ModelPackage.Load(exported.ModelPath!, exported.MetadataPath!).Metadata;
        Assert.That(metadata.AssumedThresholds.Keys, Is.EquivalentTo(new[] { "cat", "dog" }));
        Assert.That(metadata.AssumedThresholds.Values, Has.All.InRange(0.25f, 1f));
    }

    [Test]
    public async Task Training_WithoutTestDataset_HoldsBackTwentyPercent()
    {
        var (store, trainer, project) = await ProjectAsync(cats: 10, dogs: 10, testDataset: false);
        await using var _ = store;
        var arn = (await store.Client.CreateProjectVersionAsync(Request(project))).ProjectVersionArn!;
        var version = await TrainedAsync(store, project, arn);

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        Assert.That(version.TestingDataResult!.Input!.AutoCreate, Is.True);
        var job = trainer.Jobs.Single();
        Assert.That(job.TrainImages.Count + job.ValidationImages.Count, Is.EqualTo(20));
        Assert.That(job.ValidationImages, Has.Count.EqualTo(4));
        Assert.That(job.TrainImages.Select(i => i.Path).Intersect(job.ValidationImages.Select(i => i.Path)), Is.Empty);
    }

    [Test]
    public async Task Training_WithFewImagesOfALabel_TrainsAndWarnsInTheManifestSummary()
    {
        var (store, _, project) = await ProjectAsync(cats: 12, dogs: 4, testDataset: true);
        await using var _ = store;
        var arn = (await store.Client.CreateProjectVersionAsync(Request(project))).ProjectVersionArn!;
        var version = await TrainedAsync(store, project, arn);

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(store.LocalPath(version.ManifestSummary!.S3Object!)));
        var warnings = summary.RootElement.GetProperty("warnings").EnumerateArray().Select(w => (w.GetProperty("code").GetString(), w.GetProperty("message").GetString())).ToList();
        // The generated cats (and dogs) are byte-identical pictures, so the test set's are copies of training images too.
        Assert.That(warnings.Select(w => w.Item1), Is.EquivalentTo(new[] { "WARNING_FEW_IMAGES_FOR_LABEL", "WARNING_IMAGE_IN_TRAINING_AND_TESTING" }));
        Assert.That(warnings[0].Item2, Does.Contain("'dog' has 4 training image(s)"));
        Assert.That(summary.RootElement.GetProperty("statistics").GetProperty("training").GetProperty("valid_json_lines").GetInt32(), Is.EqualTo(16), "the service's fields stay");
    }

    [Test]
    public async Task Training_WithOneLabel_FailsWithTheContentErrorAndKeepsTheSummary()
    {
        var (store, trainer, project) = await ProjectAsync(cats: 10, dogs: 0, testDataset: true, testCats: 3, testDogs: 0);
        await using var _ = store;
        var arn = (await store.Client.CreateProjectVersionAsync(Request(project))).ProjectVersionArn!;
        var version = await TrainedAsync(store, project, arn);

        Assert.Multiple(() =>
        {
            Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
            Assert.That(version.StatusMessage, Does.StartWith("ERROR_MANIFEST_TOO_FEW_LABELS"));
            Assert.That(version.BillableTrainingTimeInSeconds, Is.Null, "only successful trainings are billed");
            Assert.That(version.EvaluationResult, Is.Null);
            Assert.That(File.Exists(store.LocalPath(version.ManifestSummary!.S3Object!)), Is.True);
            Assert.That(trainer.Jobs, Is.Empty, "nothing is trained on data that failed validation");
        });
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = arn, MinInferenceUnits = 1 }));
    }

    [Test]
    public async Task Training_ProgressIsInTheStatusMessage_AndCancellingFailsTheVersion()
    {
        var (store, trainer, project) = await ProjectAsync(cats: 10, dogs: 10, testDataset: true);
        await using var _ = store;
        trainer.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arn = (await store.Client.CreateProjectVersionAsync(Request(project))).ProjectVersionArn!;

        ProjectVersionDescription? training = null;
        for (var i = 0; i < 500 && training?.StatusMessage?.Contains("Epoch", StringComparison.Ordinal) != true; i++)
        {
            await Task.Delay(10);
            training = (await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project })).ProjectVersionDescriptions.Single();
        }

        Assert.That(training!.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_IN_PROGRESS));
        Assert.That(training.StatusMessage, Is.EqualTo("The model is being trained. Epoch 3 of 3, loss 0.3333."));
        Assert.ThrowsAsync<ResourceInUseException>(() => store.Client.DeleteProjectVersionAsync(new DeleteProjectVersionRequest { ProjectVersionArn = arn }));

        Assert.That(store.Training.CancelTraining(arn), Is.True);
        var version = await TrainedAsync(store, project, arn);
        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
        Assert.That(version.StatusMessage, Does.StartWith("Training was stopped"));
        var models = Path.Combine(store.Options.StoreRoot, "models");
        Assert.That(Directory.Exists(models) && Directory.EnumerateFiles(models, "*", SearchOption.AllDirectories).Any(), Is.False);
        Assert.That(store.Training.CancelTraining(arn), Is.False);
    }

    [Test]
    public async Task ATrainingLeftByAProcessThatEnded_IsFailedWhenTheStoreOpens()
    {
        var (store, trainer, project) = await ProjectAsync(cats: 10, dogs: 10, testDataset: true);
        await using var _ = store;
        trainer.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arn = (await store.Client.CreateProjectVersionAsync(Request(project))).ProjectVersionArn!;
        await store.CloseAsync(); // closed, not reopened: a live job runner would take the lapsed job over before the reopen below

        // What a crashed host leaves: the row still TRAINING_IN_PROGRESS, its job held under a lease that lapsed.
        Assert.That(store.ExecuteCatalogSql("UPDATE project_versions SET status = 'TRAINING_IN_PROGRESS' WHERE arn = @arn", ("arn", arn)), Is.EqualTo(1));
        store.ExecuteCatalogSql("DELETE FROM jobs WHERE resource_arn = @arn", ("arn", arn)); // a job never claimed before the close
        Assert.That(
            store.ExecuteCatalogSql("INSERT INTO jobs (kind, resource_arn, payload, owner, lease_until_ms, attempts, created_ms) VALUES ('Train', @arn, '{}', 'a-host-that-died', 1, 1, 1)", ("arn", arn)),
            Is.EqualTo(1));

        await store.ReopenAsync();
        var version = await TrainedAsync(store, project, arn);
        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
        Assert.That(version.StatusMessage, Does.StartWith("Training stopped because the process running it ended."));
    }

    [Test]
    public async Task Training_WhenTheTrainerThrows_FailsWithItsMessage()
    {
        var (store, trainer, project) = await ProjectAsync(cats: 10, dogs: 10, testDataset: true);
        await using var _ = store;
        trainer.Failure = new InvalidDataException("the loss became NaN at epoch 2");
        var arn = (await store.Client.CreateProjectVersionAsync(Request(project))).ProjectVersionArn!;
        var version = await TrainedAsync(store, project, arn);

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
        Assert.That(version.StatusMessage, Is.EqualTo("Training failed: the loss became NaN at epoch 2"));
    }

    [Test]
    public async Task Training_WhenTheDiskFillsWhileWritingTheModel_FailsAndLeavesNoVersionToRun()
    {
        var (store, trainer, project) = await ProjectAsync(cats: 10, dogs: 10, testDataset: true);
        await using var _ = store;
        trainer.Failure = new IOException("No space left on device");
        var arn = (await store.Client.CreateProjectVersionAsync(Request(project))).ProjectVersionArn!;
        var version = await TrainedAsync(store, project, arn);

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
        Assert.That(version.StatusMessage, Is.EqualTo("Training failed: No space left on device"));
        Assert.ThrowsAsync(Is.InstanceOf<AmazonRekognitionException>(),
            () => store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = arn, MinInferenceUnits = 1 }));
    }

    [Test]
    public async Task BadRequests_GetTheServiceErrors_AndCreateNothing()
    {
        var (store, _, project) = await ProjectAsync(cats: 10, dogs: 10, testDataset: false);
        await using var _ = store;
        var client = store.Client;

        Assert.ThrowsAsync<InvalidParameterException>(() => client.CreateProjectVersionAsync(new CreateProjectVersionRequest { ProjectArn = project, VersionName = "v1" }), "OutputConfig is required");
        Assert.ThrowsAsync<InvalidParameterException>(() => client.CreateProjectVersionAsync(Request(project, "bad name!")));
        var feature = Request(project);
        feature.FeatureConfig = new CustomizationFeatureConfig();
        Assert.ThrowsAsync<InvalidParameterException>(() => client.CreateProjectVersionAsync(feature));
        var legacy = Request(project);
        legacy.TrainingData = new TrainingData { Assets = { new Asset { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "media", Name = "train.manifest" } } } } };
        legacy.TestingData = new TestingData { AutoCreate = true };
        Assert.ThrowsAsync<InvalidParameterException>(() => client.CreateProjectVersionAsync(legacy), "manifests are only for projects without datasets");
        Assert.ThrowsAsync<ResourceNotFoundException>(() => client.CreateProjectVersionAsync(Request(project.Replace("/pets/", "/cats/", StringComparison.Ordinal))));

        var empty = await store.CreateProjectAsync("empty");
        Assert.ThrowsAsync<InvalidParameterException>(() => client.CreateProjectVersionAsync(Request(empty)), "no training dataset");

        var versions = await client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project });
        Assert.That(versions.ProjectVersionDescriptions, Is.Empty);

        await client.CreateProjectVersionAsync(Request(project));
        Assert.ThrowsAsync<ResourceInUseException>(() => client.CreateProjectVersionAsync(Request(project)), "version names are unique in a project");
        await client.WhenIdleAsync();
    }

    [Test]
    public async Task TheBackbone_ComesFromTheJobOrTheStoreDefault_AndMustExist()
    {
        var (store, trainer, project) = await ProjectAsync(cats: 10, dogs: 10, testDataset: true);
        await using var _ = store;
        var storeDefault = Path.Combine(store.Root, "default-backbone.onnx");
        var perJob = Path.Combine(store.Root, "job-backbone.onnx");
        File.WriteAllText(storeDefault, "stand-in");
        File.WriteAllText(perJob, "stand-in");
        store.Options.Training.Backbone = storeDefault;
        await store.ReopenAsync();

        await store.Client.CreateProjectVersionAsync(Request(project, "v1"));
        await store.Training.CreateProjectVersionAsync(Request(project, "v2"), new TrainingRunOptions { Backbone = perJob });
        await store.Client.WhenIdleAsync();
        Assert.That(trainer.Jobs.Select(j => j.Backbone), Is.EquivalentTo(new[] { storeDefault, perJob }));

        Assert.ThrowsAsync<InvalidParameterException>(() =>
            store.Training.CreateProjectVersionAsync(Request(project, "v3"), new TrainingRunOptions { Backbone = Path.Combine(store.Root, "missing.onnx") }));
        var missingDetector = Assert.ThrowsAsync<InvalidParameterException>(() =>
            store.Training.CreateProjectVersionAsync(Request(project, "v4"), new TrainingRunOptions { DetectionBackbone = Path.Combine(store.Root, "missing.onnx") }));
        Assert.That(missingDetector!.Message, Does.Contain("detection backbone"));

        // A classifier trains on the classifier backbone whatever the detection backbone is.
        store.Options.Training.DetectionBackbone = perJob;
        await store.ReopenAsync();
        await store.Client.CreateProjectVersionAsync(Request(project, "v5"));
        await store.Client.WhenIdleAsync();
        Assert.That(trainer.Jobs[^1].Backbone, Is.EqualTo(storeDefault));
    }

    [Test]
    public async Task TheBackbone_None_ReachesTheTrainerAsNone_AndUnsetStaysNullForTheTrainersDefault()
    {
        var (store, trainer, project) = await ProjectAsync(cats: 10, dogs: 10, testDataset: true);
        await using var _ = store;
        await store.Client.CreateProjectVersionAsync(Request(project, "v1"));
        await store.Training.CreateProjectVersionAsync(Request(project, "v2"), new TrainingRunOptions { Backbone = "None" });
        await store.Client.WhenIdleAsync();
        store.Options.Training.Backbone = "none";
        await store.ReopenAsync();
        await store.Client.CreateProjectVersionAsync(Request(project, "v3"));
        await store.Client.WhenIdleAsync();
        Assert.That(trainer.Jobs.Select(j => j.Backbone), Is.EquivalentTo(new[] { null, TrainingJob.NoBackbone, TrainingJob.NoBackbone }));
    }

    [Test]
    public async Task LegacyManifests_TrainAProjectWithoutDatasets()
    {
        var trainer = new AspectRatioTrainer();
        await using var store = new TestStore(new AspectRatioRuntime(), trainer);
        var project = await store.CreateProjectAsync("legacy");
        var lines = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            store.PutObject("media", $"l/cat{i}.png", PngBuilder.Rgb(128, 64));
            store.PutObject("media", $"l/dog{i}.png", PngBuilder.Rgb(64, 128));
            lines.Add(ManifestLines.Classification($"s3://media/l/cat{i}.png", "cat"));
            lines.Add(ManifestLines.Classification($"s3://media/l/dog{i}.png", "dog"));
        }

        store.PutObject("media", "legacy.manifest", ManifestLines.Join(lines));
        var request = Request(project);
        request.TrainingData = new TrainingData { Assets = { new Asset { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "media", Name = "legacy.manifest" } } } } };
        request.TestingData = new TestingData { AutoCreate = true };
        var arn = (await store.Client.CreateProjectVersionAsync(request)).ProjectVersionArn!;
        var version = await TrainedAsync(store, project, arn);

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        Assert.That(trainer.Jobs.Single().ValidationImages, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task UnlabeledTrainingImages_BecomeNegativeExamples_OnlyWhenAsked()
    {
        var trainer = new AspectRatioTrainer();
        await using var store = new TestStore(new AspectRatioRuntime(), trainer);
        var project = await store.CreateProjectAsync("negatives");
        var train = new List<string>();
        var test = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            store.PutObject("media", $"n/cat{i}.png", PngBuilder.Rgb(128, 64));
            store.PutObject("media", $"n/dog{i}.png", PngBuilder.Rgb(64, 128));
            train.Add(ManifestLines.Classification($"s3://media/n/cat{i}.png", "cat"));
            train.Add(ManifestLines.Classification($"s3://media/n/dog{i}.png", "dog"));
            if (i < 3)
            {
                store.PutObject("media", $"n/test-cat{i}.png", PngBuilder.Rgb(128, 64));
                store.PutObject("media", $"n/test-dog{i}.png", PngBuilder.Rgb(64, 128));
                test.Add(ManifestLines.Classification($"s3://media/n/test-cat{i}.png", "cat"));
                test.Add(ManifestLines.Classification($"s3://media/n/test-dog{i}.png", "dog"));
            }
        }

        for (var i = 0; i < 4; i++)
        {
            store.PutObject("media", $"n/other{i}.png", PngBuilder.Rgb(90, 90));
            train.Add(ManifestLines.Unlabelled($"s3://media/n/other{i}.png"));
        }

        store.PutObject("media", "train.manifest", ManifestLines.Join(train));
        store.PutObject("media", "test.manifest", ManifestLines.Join(test));
        CreateProjectVersionRequest Legacy(string name)
        {
            var request = Request(project, name);
            request.TrainingData = new TrainingData { Assets = { new Asset { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "media", Name = "train.manifest" } } } } };
            request.TestingData = new TestingData { Assets = { new Asset { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "media", Name = "test.manifest" } } } } };
            return request;
        }

        await store.Client.CreateProjectVersionAsync(Legacy("plain"));
        await store.Client.WhenIdleAsync();
        await store.Training.CreateProjectVersionAsync(Legacy("negatives"), new TrainingRunOptions { NegativeExamples = true });
        await store.Client.WhenIdleAsync();

        var (plain, negatives) = (trainer.Jobs[0], trainer.Jobs[1]);
        Assert.That(plain.TrainImages, Has.Count.EqualTo(20), "the service's behaviour: unlabeled images are not trained on");
        Assert.That(negatives.TrainImages, Has.Count.EqualTo(24));
        Assert.That(negatives.TrainImages.Where(i => i.Labels.Count == 0).Select(i => Path.GetFileName(i.Path)),
            Is.EquivalentTo(new[] { "other0.png", "other1.png", "other2.png", "other3.png" }));
        Assert.That(negatives.Kind, Is.EqualTo(ModelKind.MultiClass));
        Assert.That(negatives.Labels, Is.EqualTo(new[] { "cat", "dog" }), "no label is made up for them");
        Assert.That(negatives.ValidationImages, Has.Count.EqualTo(6), "the test set is evaluated as the service does");
    }
}
