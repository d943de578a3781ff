using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Tests.TestSupport;
using Rekognition.Core.Training;
using Rekognition.Samples;

namespace Rekognition.Core.Tests.Training;

/// <summary>
/// What CreateProjectVersion hands a detection trainer: every usable image with its valid boxes as ratios of
/// the image (origin top-left), label indexes into <see cref="TrainingJob.Labels"/>, and the spec's rules for
/// images without boxes and for image-level lines mixed into a detection dataset.
/// </summary>
public class DetectionTrainingJobTests
{
    private const int W = DetectionProject.Width;
    private const int H = DetectionProject.Height;

    private static async Task<(ProjectVersionDescription Version, TrainingJob? Job)> TrainAsync(
        Func<TestStore, IEnumerable<string>> train, Func<TestStore, IEnumerable<string>>? test, Action<RekognitionOptions>? configure = null,
        TrainingRunOptions? runOptions = null)
    {
        var trainer = new RecordingDetectionTrainer();
        await using var store = new TestStore(null, trainer, configure);
        var project = await store.CreateProjectAsync();
        var (_, trainDataset) = await DetectionProject.CreateAsync(store, project, DatasetType.TRAIN, train(store).ToList());
        Assert.That(trainDataset.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), trainDataset.StatusMessage);
        if (test is not null)
        {
            var (_, testDataset) = await DetectionProject.CreateAsync(store, project, DatasetType.TEST, test(store).ToList());
            Assert.That(testDataset.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), testDataset.StatusMessage);
        }

        var arn = (await store.Training.CreateProjectVersionAsync(new CreateProjectVersionRequest
        {
            ProjectArn = project, VersionName = "v1", OutputConfig = new OutputConfig { S3Bucket = "artifacts", S3KeyPrefix = "boards/" },
        }, runOptions ?? new TrainingRunOptions())).ProjectVersionArn!;
        await store.Client.WhenIdleAsync();
        var version = (await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project }))
            .ProjectVersionDescriptions.Single(v => v.ProjectVersionArn == arn);
        return (version, trainer.Jobs.SingleOrDefault());
    }

    private static TrainingImage ImageNamed(IEnumerable<TrainingImage> images, string name) =>
        images.Single(i => Path.GetFileName(i.Path) == name + ".png");

    private static void AssertBox(TrainingBox box, int label, double left, double top, double width, double height)
    {
        Assert.That(box.Label, Is.EqualTo(label));
        Assert.That(box.Box.Left, Is.EqualTo(left / W).Within(1e-6));
        Assert.That(box.Box.Top, Is.EqualTo(top / H).Within(1e-6));
        Assert.That(box.Box.Width, Is.EqualTo(width / W).Within(1e-6));
        Assert.That(box.Box.Height, Is.EqualTo(height / H).Within(1e-6));
    }

    [Test]
    public async Task EveryImageComesWithItsBoxes_AsRatiosOfTheImage_AndLabelIndexesIntoJobLabels()
    {
        var (version, job) = await TrainAsync(
            store => new[]
            {
                // Class ids are keys into each line's own class-map: "c2" here is label "c2" whatever its id elsewhere.
                DetectionProject.Boxes(store, "a", (2, 32, 24, 64, 48), (0, 0, 0, W, H)),
                DetectionProject.Boxes(store, "b", (1, 160, 120, 160, 120), (1, 10.5, 20.25, 30, 40)),
                DetectionProject.Boxes(store, "c", (0, 100, 50, 20, 30)),
            },
            store => new[] { DetectionProject.Boxes(store, "t", (1, 16, 12, 32, 24), (2, 100, 100, 50, 50)) });

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        Assert.That(job!.Kind, Is.EqualTo(ModelKind.Detection));
        Assert.That(job.Labels, Is.EqualTo(new[] { "c0", "c1", "c2" }), "sorted ordinally: the model's output order");
        Assert.That(job.TrainImages, Has.Count.EqualTo(3));

        var a = ImageNamed(job.TrainImages, "a");
        Assert.That(a.Boxes, Has.Count.EqualTo(2));
        AssertBox(a.Boxes[0], 2, 32, 24, 64, 48);
        AssertBox(a.Boxes[1], 0, 0, 0, W, H);
        Assert.That(a.Labels, Is.EquivalentTo(new[] { 2, 0 }), "an image's labels are its boxes' labels");

        var b = ImageNamed(job.TrainImages, "b");
        AssertBox(b.Boxes[0], 1, 160, 120, 160, 120);
        AssertBox(b.Boxes[1], 1, 10.5, 20.25, 30, 40);
        Assert.That(b.Labels, Is.EqualTo(new[] { 1 }));

        var t = job.ValidationImages.Single();
        AssertBox(t.Boxes[0], 1, 16, 12, 32, 24);
        AssertBox(t.Boxes[1], 2, 100, 100, 50, 50);
        foreach (var box in job.TrainImages.Concat(job.ValidationImages).SelectMany(i => i.Boxes))
        {
            Assert.That(job.Labels[box.Label], Is.Not.Null);
            Assert.That(box.Box.Left + box.Box.Width, Is.LessThanOrEqualTo(1f));
            Assert.That(box.Box.Top + box.Box.Height, Is.LessThanOrEqualTo(1f));
        }
    }

    [Test]
    public async Task ADetectionJob_GetsTheDetectionBackbone_NotTheClassifierOne_AndAJobMayOverrideIt()
    {
        var folder = Directory.CreateTempSubdirectory("rekognition-backbones-").FullName;
        try
        {
            var classifier = Path.Combine(folder, "classifier.onnx");
            var detector = Path.Combine(folder, "detector.onnx");
            var perJob = Path.Combine(folder, "job-detector.onnx");
            foreach (var file in new[] { classifier, detector, perJob })
            {
                File.WriteAllText(file, "stand-in");
            }

            void Configure(RekognitionOptions o)
            {
                o.Training.Backbone = classifier;
                o.Training.DetectionBackbone = detector;
            }

            var (_, fromStore) = await TrainAsync(store => DetectionProject.GoodLines(store, "good", 5), null, Configure);
            Assert.That(fromStore!.Backbone, Is.EqualTo(detector));
            var (_, fromJob) = await TrainAsync(store => DetectionProject.GoodLines(store, "good", 5), null, Configure,
                new TrainingRunOptions { Backbone = "none", DetectionBackbone = perJob });
            Assert.That(fromJob!.Backbone, Is.EqualTo(perJob), "the job's classifier backbone does not reach a detector");
            var (_, unset) = await TrainAsync(store => DetectionProject.GoodLines(store, "good", 5), null, o => o.Training.Backbone = classifier);
            Assert.That(unset!.Backbone, Is.Null, "unset: the built-in detector, never the classifier backbone");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task FlaggedBoxesAreLeftOut_TheLineKeepsItsGoodBoxes()
    {
        var (version, job) = await TrainAsync(
            store => DetectionProject.GoodLines(store, "good", 10).Append(DetectionProject.Boxes(store, "mixed",
                (0, W - 20, 10, 21, 20), // one pixel off frame: ERROR_INVALID_BOUNDING_BOX
                (0, 10, 10, 1, 30),      // 1 px wide: ERROR_BOUNDING_BOX_TOO_SMALL
                (5, 10, 10, 30, 30),     // fine
                (1, 50, 60, 40, 30))),   // fine
            store => DetectionProject.GoodLines(store, "test", 2));

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        Assert.That(job!.Labels, Is.EqualTo(new[] { "c0", "c1", "c5" }));
        var mixed = ImageNamed(job.TrainImages, "mixed");
        Assert.That(mixed.Boxes, Has.Count.EqualTo(2));
        AssertBox(mixed.Boxes[0], 2, 10, 10, 30, 30);
        AssertBox(mixed.Boxes[1], 1, 50, 60, 40, 30);
    }

    [Test]
    public async Task ImagesWithoutBoxes_AreValidButNotTrainedOn_AsTheGuideSays()
    {
        // The guide: a human-annotated object-location line with no boxes gets WARNING_NO_ANNOTATIONS; "the JSON
        // line is valid, but it is not used for training" (counted in ignored_json_lines).
        var (version, job) = await TrainAsync(
            store => DetectionProject.GoodLines(store, "good", 5).Append(DetectionProject.Boxes(store, "empty")),
            store => DetectionProject.GoodLines(store, "test", 2).Append(DetectionProject.Boxes(store, "empty-test")));

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        Assert.That(job!.TrainImages.Select(i => Path.GetFileName(i.Path)), Has.None.EqualTo("empty.png"));
        Assert.That(job.TrainImages, Has.Count.EqualTo(5));
        Assert.That(job.ValidationImages, Has.Count.EqualTo(2));
        Assert.That(job.TrainImages, Has.All.Matches<TrainingImage>(i => i.Boxes.Count == 2));
    }

    [Test]
    public async Task ImagesWithoutBoxes_AreBackground_WhenNegativesAreAsked_ButAllBoxLessStillFails()
    {
        var (version, job) = await TrainAsync(
            store => DetectionProject.GoodLines(store, "good", 5).Append(DetectionProject.Boxes(store, "empty")),
            store => DetectionProject.GoodLines(store, "test", 2), o => o.Training.NegativeExamples = true);

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        Assert.That(job!.TrainImages, Has.Count.EqualTo(6));
        Assert.That(ImageNamed(job.TrainImages, "empty").Boxes, Is.Empty, "a background image: no box to find");

        var (failed, none) = await TrainAsync(
            store => Enumerable.Range(0, 5).Select(i => DetectionProject.Boxes(store, $"empty{i}")),
            store => DetectionProject.GoodLines(store, "test", 2), o => o.Training.NegativeExamples = true);
        Assert.That(failed.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
        Assert.That(failed.StatusMessage, Does.Contain("ERROR_MANIFEST_TOO_FEW_LABELS"), "as the service fails it");
        Assert.That(none, Is.Null);
    }

    [Test]
    public async Task ImageLevelLinesInADetectionDataset_AreFilteredOut()
    {
        var (version, job) = await TrainAsync(
            store => DetectionProject.GoodLines(store, "good", 8)
                .Append(DetectionProject.ImageLevel(store, "whole-c0", "c0"))
                .Append(DetectionProject.ImageLevel(store, "whole-c9", "c9")),
            store => DetectionProject.GoodLines(store, "test", 2).Append(DetectionProject.ImageLevel(store, "test-level", "c0")));

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        Assert.That(job!.Kind, Is.EqualTo(ModelKind.Detection));
        Assert.That(job.Labels, Is.EqualTo(new[] { "c0", "c1" }), "c9 is only an image-level label: not usable by a detector");
        Assert.That(job.TrainImages.Select(i => Path.GetFileName(i.Path)), Has.None.StartsWith("whole-"));
        Assert.That(job.TrainImages, Has.Count.EqualTo(8));
        Assert.That(job.ValidationImages, Has.Count.EqualTo(2), "a test image needs boxes");
    }

    [Test]
    public async Task ALineWithAnImageLevelLabelAndBoxes_TrainsOnItsBoxes()
    {
        var (version, job) = await TrainAsync(
            store => DetectionProject.GoodLines(store, "good", 4).Append(BoxesAndImageLevel(DetectionProject.Image(store, "both"))),
            store => DetectionProject.GoodLines(store, "test", 2));

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        var both = ImageNamed(job!.TrainImages, "both");
        Assert.That(both.Boxes, Has.Count.EqualTo(1));
        AssertBox(both.Boxes[0], 0, 40, 40, 80, 60);
        Assert.That(job.Labels, Is.EqualTo(new[] { "c0", "c1" }), "the line's image-level label 'scene' is not a detection label");
    }

    [Test]
    public async Task BrandCase_ImageLevelTrainingWithBoxedTests_TrainsOnWholeImageBoxes()
    {
        var (version, job) = await TrainAsync(
            store => Enumerable.Range(0, 4).Select(i => DetectionProject.ImageLevel(store, $"logo-a{i}", "c0"))
                .Concat(Enumerable.Range(0, 4).Select(i => DetectionProject.ImageLevel(store, $"logo-b{i}", "c1"))),
            store => DetectionProject.GoodLines(store, "test", 3));

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        Assert.That(job!.Kind, Is.EqualTo(ModelKind.Detection));
        Assert.That(job.Labels, Is.EqualTo(new[] { "c0", "c1" }));
        Assert.That(job.TrainImages, Has.Count.EqualTo(8));
        foreach (var image in job.TrainImages)
        {
            var label = Path.GetFileName(image.Path).StartsWith("logo-a", StringComparison.Ordinal) ? 0 : 1;
            Assert.That(image.Boxes.Single(), Is.EqualTo(new TrainingBox(label, new NormalizedBox(0, 0, 1, 1))));
            Assert.That(image.Labels, Is.EqualTo(new[] { label }));
        }

        Assert.That(job.ValidationImages, Has.All.Matches<TrainingImage>(i => i.Boxes.Count == 2));
    }

    [Test]
    public async Task MostlyImageLevelLines_TrainAClassifier_WithoutTheBoxLines()
    {
        var (version, job) = await TrainAsync(
            store => Enumerable.Range(0, 6).Select(i => DetectionProject.ImageLevel(store, $"cls{i}", i % 2 == 0 ? "c0" : "c1"))
                .Concat(DetectionProject.GoodLines(store, "boxed", 2)),
            store => Enumerable.Range(0, 2).Select(i => DetectionProject.ImageLevel(store, $"test{i}", i % 2 == 0 ? "c0" : "c1")));

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED), "the recording trainer writes a detection package");
        Assert.That(job!.Kind, Is.EqualTo(ModelKind.MultiClass));
        Assert.That(job.TrainImages, Has.Count.EqualTo(6));
        Assert.That(job.TrainImages, Has.All.Matches<TrainingImage>(i => i.Boxes.Count == 0 && i.Labels.Count == 1));
    }

    [Test]
    public async Task TooFewUsableLabels_AfterFilteringToTheChosenType_FailsTheTraining()
    {
        // Image-level test lines choose the image-level type; only "c0" is image-level in training: 1 usable label < 2.
        var (version, job) = await TrainAsync(
            store => Enumerable.Range(0, 6).Select(i => DetectionProject.ImageLevel(store, $"cls{i}", "c0"))
                .Concat(Enumerable.Range(0, 4).Select(i => DetectionProject.Boxes(store, $"box{i}", (1, 10, 10, 50, 50)))),
            store => Enumerable.Range(0, 3).Select(i => DetectionProject.ImageLevel(store, $"test{i}", "c0")));

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
        Assert.That(version.StatusMessage, Does.StartWith("ERROR_MANIFEST_TOO_FEW_USABLE_LABELS: The manifest file has too few usable labels."));
        Assert.That(job, Is.Null);
    }

    [Test]
    public async Task AGeneratedDataset_ReachesTheTrainerBoxForBox()
    {
        var trainer = new RecordingDetectionTrainer();
        await using var store = new TestStore(null, trainer);
        var sets = new Dictionary<DatasetType, SyntheticDetectionSet>();
        var project = await store.CreateProjectAsync();
        foreach (var (type, folder, count, seed) in new[] { (DatasetType.TRAIN, "train", 24, 21), (DatasetType.TEST, "test", 6, 22) })
        {
            sets[type] = SyntheticDetectionDataset.Generate(Path.Combine(store.Bucket("synth"), folder), count, seed,
                new SyntheticDetectionOptions { BackgroundOnlyFraction = 0.15, Clutter = false, NoiseAmplitude = 0, SourceRefPrefix = $"s3://synth/{folder}/" });
            var arn = (await store.Client.CreateDatasetAsync(new CreateDatasetRequest
            {
                ProjectArn = project,
                DatasetType = type,
                DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "synth", Name = $"{folder}/dataset.manifest" } } },
            })).DatasetArn!;
            Assert.That((await store.WaitForDatasetAsync(arn)).Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE));
        }

        var versionArn = (await store.Client.CreateProjectVersionAsync(new CreateProjectVersionRequest
        {
            ProjectArn = project, VersionName = "v1", OutputConfig = new OutputConfig { S3Bucket = "artifacts", S3KeyPrefix = "synth/" },
        })).ProjectVersionArn!;
        await store.Client.WhenIdleAsync();
        var version = (await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project })).ProjectVersionDescriptions.Single(v => v.ProjectVersionArn == versionArn);
        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);

        var job = trainer.Jobs.Single();
        Assert.That(job.Labels, Is.EqualTo(SyntheticDetectionDataset.ClassNames), "circle, square, triangle: already ordinal, so class_id = label index");
        foreach (var (images, generated) in new[] { (job.TrainImages, sets[DatasetType.TRAIN]), (job.ValidationImages, sets[DatasetType.TEST]) })
        {
            var drawn = generated.Images.Where(i => i.Objects.Count > 0).ToList();
            Assert.That(drawn.Count, Is.LessThan(generated.Images.Count), "the set has background-only images");
            Assert.That(images.Select(i => i.Path), Is.EqualTo(drawn.Select(i => i.Path)), "every image with objects, in order; background-only ones are not used");
            foreach (var (image, source) in images.Zip(drawn))
            {
                Assert.That(image.Boxes, Has.Count.EqualTo(source.Objects.Count));
                foreach (var (box, o) in image.Boxes.Zip(source.Objects))
                {
                    Assert.That(box.Label, Is.EqualTo(o.ClassId));
                    Assert.That(box.Box.Left * source.Width, Is.EqualTo(o.Left).Within(1e-3));
                    Assert.That(box.Box.Top * source.Height, Is.EqualTo(o.Top).Within(1e-3));
                    Assert.That(box.Box.Width * source.Width, Is.EqualTo(o.Width).Within(1e-3));
                    Assert.That(box.Box.Height * source.Height, Is.EqualTo(o.Height).Within(1e-3));
                }

                Assert.That(image.Labels, Is.EquivalentTo(source.Objects.Select(o => o.ClassId).Distinct()));
            }
        }
    }

    private static string BoxesAndImageLevel(string sourceRef) =>
        "{\"source-ref\":\"" + sourceRef + "\","
        + "\"scene\":0,\"scene-metadata\":{\"confidence\":1,\"class-name\":\"scene\",\"human-annotated\":\"yes\",\"creation-date\":\"2024-05-02T08:15:30\",\"type\":\"groundtruth/image-classification\",\"job-name\":\"j\"},"
        + "\"bounding-box\":{\"image_size\":[{\"width\":320,\"height\":240,\"depth\":3}],\"annotations\":[{\"class_id\":0,\"left\":40,\"top\":40,\"width\":80,\"height\":60}]},"
        + "\"bounding-box-metadata\":{\"objects\":[{\"confidence\":1}],\"class-map\":{\"0\":\"c0\"},\"type\":\"groundtruth/object-detection\",\"human-annotated\":\"yes\",\"creation-date\":\"2024-05-02T08:15:30\",\"job-name\":\"boxes\"}}";
}
