using System.Text.Json;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Datasets;

/// <summary>
/// Bad object-detection input through the public client (datasets.md §7.6–7.7): each bad box is a
/// non-terminal error on its annotation, a line with no valid box or too many boxes is stored with a
/// line error and is not used, a line with no box is valid but ignored (warnings), and none of it
/// fails the dataset or loses what was stored.
/// </summary>
public class DetectionBadInputTests
{
    private const string TooSmall = "ERROR_BOUNDING_BOX_TOO_SMALL";
    private const string OffFrame = "ERROR_INVALID_BOUNDING_BOX";
    private const string NoValid = "ERROR_NO_VALID_ANNOTATIONS";

    private static JsonElement Annotation(JsonElement entry, int index) => entry.GetProperty("bounding-box").GetProperty("annotations")[index];

    [Test]
    public async Task BoxesOfZeroOrNegativeSize_AreAnnotationErrors_AndTheLineKeepsItsOtherBoxes()
    {
        await using var store = new TestStore();
        var project = await store.CreateProjectAsync();
        var lines = DetectionProject.GoodLines(store, "good", 10).Concat(new[]
        {
            DetectionProject.Boxes(store, "zero-width", (0, 10, 10, 0, 40), (1, 100, 100, 50, 50)),
            DetectionProject.Boxes(store, "one-pixel", (0, 10, 10, 1, 1)),
            DetectionProject.Boxes(store, "negative", (0, 10, 10, 30, -5), (1, 100, 100, 50, 50)),
        });
        var (arn, description) = await DetectionProject.CreateAsync(store, project, DatasetType.TRAIN, lines);

        Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), description.StatusMessage);
        Assert.That(description.DatasetStats!.TotalEntries, Is.EqualTo(13), "lines with non-terminal errors are stored");
        Assert.That(description.DatasetStats.ErrorEntries, Is.EqualTo(3));

        var zeroWidth = await DetectionProject.EntryAsync(store, arn, "zero-width");
        Assert.That(DetectionProject.Issues(Annotation(zeroWidth, 0)).Single(), Is.EqualTo((TooSmall, "The height and width of the bounding box is too small.")).Using<(string, string)>((a, b) => a.Item1 == b.Item1 && a.Item2.StartsWith(b.Item2, StringComparison.Ordinal)));
        Assert.That(DetectionProject.Codes(Annotation(zeroWidth, 1)), Is.Empty, "the good box of the line stays");
        Assert.That(DetectionProject.Codes(zeroWidth), Is.Empty, "one valid box left: no line error");

        var onePixel = await DetectionProject.EntryAsync(store, arn, "one-pixel");
        Assert.That(DetectionProject.Codes(Annotation(onePixel, 0)), Is.EqualTo(new[] { TooSmall }), "a side must be more than 1 px");
        Assert.That(DetectionProject.Codes(onePixel), Is.EqualTo(new[] { NoValid }));

        var negative = await DetectionProject.EntryAsync(store, arn, "negative");
        Assert.That(DetectionProject.Issues(Annotation(negative, 0)).Single().Message, Does.StartWith("The bounding box has off frame values."));
        Assert.That(DetectionProject.Codes(Annotation(negative, 0)), Is.EqualTo(new[] { OffFrame }));

        var unlabelled = await DetectionProject.EntriesAsync(store, arn, labeled: false);
        Assert.That(unlabelled, Has.Count.EqualTo(1).And.One.Contains("one-pixel.png"), "a line without a valid box carries no label");
    }

    [Test]
    public async Task BoxesOutsideTheImage_AreOffFrame_WhileBoxesTouchingTheEdgeAreFine()
    {
        await using var store = new TestStore();
        var project = await store.CreateProjectAsync();
        const int w = DetectionProject.Width, h = DetectionProject.Height;
        var lines = DetectionProject.GoodLines(store, "good", 10).Concat(new[]
        {
            DetectionProject.Boxes(store, "edges", (0, 0, 0, w, h), (1, w - 20, h - 20, 20, 20)),
            DetectionProject.Boxes(store, "right", (0, w - 20, 10, 21, 20), (1, 10, 10, 30, 30)),
            DetectionProject.Boxes(store, "below", (0, 10, h - 5, 20, 20)),
            DetectionProject.Boxes(store, "left", (0, -3, 10, 20, 20)),
            DetectionProject.Boxes(store, "away", (1, w + 10, h + 10, 20, 20)),
        });
        var (arn, description) = await DetectionProject.CreateAsync(store, project, DatasetType.TRAIN, lines);
        Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), description.StatusMessage);

        var edges = await DetectionProject.EntryAsync(store, arn, "edges");
        Assert.That(edges.TryGetProperty("errors", out _), Is.False);
        Assert.That(DetectionProject.Codes(Annotation(edges, 0)).Concat(DetectionProject.Codes(Annotation(edges, 1))), Is.Empty);

        var right = await DetectionProject.EntryAsync(store, arn, "right");
        Assert.That(DetectionProject.Codes(Annotation(right, 0)), Is.EqualTo(new[] { OffFrame }));
        Assert.That(DetectionProject.Codes(right), Is.Empty);
        foreach (var name in new[] { "below", "left", "away" })
        {
            var entry = await DetectionProject.EntryAsync(store, arn, name);
            Assert.That(DetectionProject.Codes(Annotation(entry, 0)), Is.EqualTo(new[] { OffFrame }), name);
            Assert.That(DetectionProject.Codes(entry), Is.EqualTo(new[] { NoValid }), name);
        }

        Assert.That(description.DatasetStats!.ErrorEntries, Is.EqualTo(4));
        Assert.That(await DetectionProject.EntriesAsync(store, arn, hasErrors: true), Has.Count.EqualTo(4));
    }

    [Test]
    public async Task MoreThanFiftyBoxes_MakeTheWholeLineInvalid_FiftyAreFine()
    {
        await using var store = new TestStore();
        var project = await store.CreateProjectAsync();
        (int, double, double, double, double)[] Grid(int count) =>
            Enumerable.Range(0, count).Select(i => (i % 2, (double)(i % 10) * 30, (double)(i / 10) * 40, 20.0, 20.0)).ToArray();
        var lines = DetectionProject.GoodLines(store, "good", 10).Concat(new[]
        {
            DetectionProject.Boxes(store, "fifty", Grid(50)),
            DetectionProject.Boxes(store, "fifty-one", Grid(51)),
        });
        var (arn, description) = await DetectionProject.CreateAsync(store, project, DatasetType.TRAIN, lines);
        Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), description.StatusMessage);

        var fifty = await DetectionProject.EntryAsync(store, arn, "fifty");
        Assert.That(fifty.TryGetProperty("errors", out _), Is.False);
        var tooMany = await DetectionProject.EntryAsync(store, arn, "fifty-one");
        var issue = DetectionProject.Issues(tooMany).Single();
        Assert.That(issue.Code, Is.EqualTo("ERROR_TOO_MANY_BOUNDING_BOXES"));
        Assert.That(issue.Message, Does.StartWith("There are more bounding boxes than the allowed maximum.").And.Contains("51"));
        Assert.That(await DetectionProject.EntriesAsync(store, arn, labeled: false), Has.Count.EqualTo(1).And.One.Contains("fifty-one.png"));

        var labels = (await store.Client.ListDatasetLabelsAsync(new ListDatasetLabelsRequest { DatasetArn = arn })).DatasetLabelDescriptions;
        Assert.That(labels.Select(l => (l.LabelName, l.LabelStats!.EntryCount)), Is.EqualTo(new[] { ("c0", 11), ("c1", 11) }), "the boxes of the refused line count nowhere");
    }

    [Test]
    public async Task TheFiftyBoxLimit_CountsEveryBoxAttributeOfTheImage()
    {
        await using var store = new TestStore();
        var project = await store.CreateProjectAsync();
        string TwoAttributes(string name, int first, int second)
        {
            var line = DetectionProject.Boxes(store, name, Enumerable.Range(0, first).Select(i => (0, (double)(i % 10) * 30, (double)(i / 10) * 40, 20.0, 20.0)).ToArray());
            var annotations = string.Join(",", Enumerable.Range(0, second).Select(i => $"{{\"class_id\":0,\"left\":{i % 10 * 30 + 5},\"top\":{i / 10 * 40 + 5},\"width\":10,\"height\":10}}"));
            var objects = string.Join(",", Enumerable.Range(0, second).Select(_ => "{\"confidence\":1}"));
            return line[..^1] + $",\"parts\":{{\"image_size\":[{{\"width\":320,\"height\":240,\"depth\":3}}],\"annotations\":[{annotations}]}},"
                + $"\"parts-metadata\":{{\"objects\":[{objects}],\"class-map\":{{\"0\":\"part\"}},\"type\":\"groundtruth/object-detection\",\"human-annotated\":\"yes\",\"creation-date\":\"2024-05-02T08:15:30\",\"job-name\":\"parts\"}}}}";
        }

        var lines = DetectionProject.GoodLines(store, "good", 10).Append(TwoAttributes("fifty", 25, 25)).Append(TwoAttributes("sixty", 30, 30));
        var (arn, description) = await DetectionProject.CreateAsync(store, project, DatasetType.TRAIN, lines);
        Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), description.StatusMessage);

        Assert.That(DetectionProject.Codes(await DetectionProject.EntryAsync(store, arn, "fifty")), Is.Empty);
        var sixty = DetectionProject.Issues(await DetectionProject.EntryAsync(store, arn, "sixty")).Single();
        Assert.That(sixty.Code, Is.EqualTo("ERROR_TOO_MANY_BOUNDING_BOXES"));
        Assert.That(sixty.Message, Does.Contain("60 boxes"));
    }

    [Test]
    public async Task AnImageWithNoBoxes_IsAWarningOnly_StoredButNotLabelled()
    {
        await using var store = new TestStore();
        var project = await store.CreateProjectAsync();
        var lines = DetectionProject.GoodLines(store, "good", 3).Append(DetectionProject.Boxes(store, "background"));
        var (arn, description) = await DetectionProject.CreateAsync(store, project, DatasetType.TRAIN, lines);

        Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), description.StatusMessage);
        Assert.That(description.DatasetStats!.TotalEntries, Is.EqualTo(4));
        Assert.That(description.DatasetStats.ErrorEntries, Is.Zero, "a warning is not an error");
        Assert.That(description.DatasetStats.LabeledEntries, Is.EqualTo(3));

        var background = await DetectionProject.EntryAsync(store, arn, "background");
        Assert.That(DetectionProject.Codes(background), Is.Empty);
        Assert.That(DetectionProject.Issues(background, "warnings"), Is.EqualTo(new[] { ("WARNING_NO_ANNOTATIONS", "No annotations were found.") }));
        Assert.That(DetectionProject.Issues(background.GetProperty("bounding-box"), "warnings"),
            Is.EqualTo(new[] { ("WARNING_NO_ATTRIBUTE_ANNOTATIONS", "No attribute annotations were found.") }));
    }

    [Test]
    public async Task AllBackgroundManifest_StillCreatesTheDataset_ButTrainingHasTooFewLabels()
    {
        var trainer = new RecordingDetectionTrainer();
        await using var store = new TestStore(null, trainer);
        var project = await store.CreateProjectAsync();
        var (_, train) = await DetectionProject.CreateAsync(store, project, DatasetType.TRAIN, Enumerable.Range(0, 5).Select(i => DetectionProject.Boxes(store, $"bg{i}")));
        Assert.That(train.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), train.StatusMessage);
        var (_, test) = await DetectionProject.CreateAsync(store, project, DatasetType.TEST, DetectionProject.GoodLines(store, "test", 3));
        Assert.That(test.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), test.StatusMessage);

        var version = await TrainAsync(store, project);
        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
        Assert.That(version.StatusMessage, Is.EqualTo("ERROR_MANIFEST_TOO_FEW_LABELS: The manifest file has too few labels. It has 0 label(s); this model type needs at least 1."));
        Assert.That(trainer.Jobs, Is.Empty);
    }

    [Test]
    public async Task ALabelWhoseBoxesAreAllInvalid_IsNoLabel_ForTheDatasetOrTheTraining()
    {
        var trainer = new RecordingDetectionTrainer();
        await using var store = new TestStore(null, trainer);
        var project = await store.CreateProjectAsync();
        var trainLines = DetectionProject.GoodLines(store, "train", 10)
            .Append(DetectionProject.Boxes(store, "bad-c2", (2, 10, 10, 0.5, 0.5), (2, 400, 10, 10, 10)));
        var (trainArn, train) = await DetectionProject.CreateAsync(store, project, DatasetType.TRAIN, trainLines);
        Assert.That(train.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), train.StatusMessage);
        Assert.That(train.DatasetStats!.TotalLabels, Is.EqualTo(2), "c2 has no valid box");
        var labels = (await store.Client.ListDatasetLabelsAsync(new ListDatasetLabelsRequest { DatasetArn = trainArn })).DatasetLabelDescriptions;
        Assert.That(labels.Select(l => l.LabelName), Is.EqualTo(new[] { "c0", "c1" }));

        var testLines = DetectionProject.GoodLines(store, "test", 3).Append(DetectionProject.Boxes(store, "test-c2", (2, 10, 10, 50, 50)));
        await DetectionProject.CreateAsync(store, project, DatasetType.TEST, testLines);
        var version = await TrainAsync(store, project);
        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        var job = trainer.Jobs.Single();
        Assert.That(job.Labels, Is.EqualTo(new[] { "c0", "c1" }));
        Assert.That(job.TrainImages.Select(i => Path.GetFileName(i.Path)), Does.Not.Contain("bad-c2.png"));
    }

    [Test]
    public async Task ADetectionProjectWithASingleLabel_Trains()
    {
        var trainer = new RecordingDetectionTrainer();
        await using var store = new TestStore(null, trainer);
        var project = await store.CreateProjectAsync();
        var lines = Enumerable.Range(0, 6).Select(i => DetectionProject.Boxes(store, $"one{i}", (0, 20, 20, 40 + i, 40)));
        await DetectionProject.CreateAsync(store, project, DatasetType.TRAIN, lines);
        await DetectionProject.CreateAsync(store, project, DatasetType.TEST, Enumerable.Range(0, 2).Select(i => DetectionProject.Boxes(store, $"onetest{i}", (0, 30, 30, 40, 40))));

        var version = await TrainAsync(store, project);
        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        Assert.That(trainer.Jobs.Single().Labels, Is.EqualTo(new[] { "c0" }), "object location needs one label, not two");
    }

    [Test]
    public async Task LabelsOnTooFewImagesToSplit_FailTheAutomaticSplit_ALabelOnOneImageStaysInTraining()
    {
        var trainer = new RecordingDetectionTrainer();
        await using var store = new TestStore(null, trainer);
        var project = await store.CreateProjectAsync("one-each");
        await DetectionProject.CreateAsync(store, project, DatasetType.TRAIN, new[]
        {
            DetectionProject.Boxes(store, "only-c0", (0, 10, 10, 40, 40)),
            DetectionProject.Boxes(store, "only-c1", (1, 10, 10, 40, 40)),
        });
        var version = await TrainAsync(store, project);
        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
        Assert.That(version.StatusMessage, Does.StartWith("ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_AUTOSPLIT"));
        Assert.That(trainer.Jobs, Is.Empty);

        // Ten images of c0 and c1, one image of c2: the split keeps c2's only image for training.
        var project2 = await store.CreateProjectAsync("rare");
        await DetectionProject.CreateAsync(store, project2, DatasetType.TRAIN,
            DetectionProject.GoodLines(store, "many", 10).Append(DetectionProject.Boxes(store, "rare-c2", (2, 10, 10, 40, 40))));
        version = await TrainAsync(store, project2);
        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        var job = trainer.Jobs.Single();
        Assert.That(job.Labels, Is.EqualTo(new[] { "c0", "c1", "c2" }));
        Assert.That(job.TrainImages.Select(i => Path.GetFileName(i.Path)), Does.Contain("rare-c2.png"));
        Assert.That(job.ValidationImages, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task UpdateDatasetEntries_WithBadBoxes_KeepsTheStoredEntriesAndStoresTheBadLinesWithTheirErrors()
    {
        await using var store = new TestStore();
        var project = await store.CreateProjectAsync();
        var (arn, _) = await DetectionProject.CreateAsync(store, project, DatasetType.TRAIN, DetectionProject.GoodLines(store, "good", 10));
        var before = await DetectionProject.EntriesAsync(store, arn);

        // A new image whose only box is off frame, and a new image with 51 boxes: stored with their errors.
        var grid = Enumerable.Range(0, 51).Select(i => (0, (double)(i % 10) * 30, (double)(i / 10) * 40, 20.0, 20.0)).ToArray();
        var updated = await DetectionProject.UpdateAsync(store, arn, new[]
        {
            DetectionProject.Boxes(store, "new-off-frame", (0, 300, 10, 50, 50)),
            DetectionProject.Boxes(store, "new-crowded", grid),
        });
        Assert.That(updated.Status, Is.EqualTo(DatasetStatus.UPDATE_COMPLETE), updated.StatusMessage);
        Assert.That(updated.DatasetStats!.TotalEntries, Is.EqualTo(12));
        Assert.That(updated.DatasetStats.ErrorEntries, Is.EqualTo(2));
        Assert.That(DetectionProject.Codes(await DetectionProject.EntryAsync(store, arn, "new-off-frame")), Is.EqualTo(new[] { NoValid }));
        Assert.That(DetectionProject.Codes(await DetectionProject.EntryAsync(store, arn, "new-crowded")), Is.EqualTo(new[] { "ERROR_TOO_MANY_BOUNDING_BOXES" }));
        var after = await DetectionProject.EntriesAsync(store, arn);
        Assert.That(after.Where(e => e.Contains("/good", StringComparison.Ordinal)), Is.EquivalentTo(before), "the stored entries are untouched");

        // An update that is mostly unreadable fails whole and changes nothing.
        var failed = await DetectionProject.UpdateAsync(store, arn, new[]
        {
            DetectionProject.Boxes(store, "good0", (0, 1, 1, 0, 0)),
            "{\"source-ref\":\"s3://boards/x.png\",\"bounding-box\":",
            "{\"bounding-box\":{}}",
        });
        Assert.That(failed.Status, Is.EqualTo(DatasetStatus.UPDATE_FAILED));
        Assert.That(failed.StatusMessage, Does.StartWith("ERROR_TOO_MANY_RECORDS_IN_ERROR"));
        Assert.That(await DetectionProject.EntriesAsync(store, arn), Is.EquivalentTo(after));
    }

    private static async Task<ProjectVersionDescription> TrainAsync(TestStore store, string project)
    {
        var arn = (await store.Client.CreateProjectVersionAsync(new CreateProjectVersionRequest
        {
            ProjectArn = project, VersionName = "v1", OutputConfig = new OutputConfig { S3Bucket = "artifacts", S3KeyPrefix = "boards/" },
        })).ProjectVersionArn!;
        await store.Client.WhenIdleAsync();
        var all = await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project });
        return all.ProjectVersionDescriptions.Single(v => v.ProjectVersionArn == arn);
    }
}
