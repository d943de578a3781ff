using Rekognition.Core.Inference;
using Rekognition.Core.Models;
using Rekognition.Core.Training;

namespace Rekognition.Core.Tests.Training;

/// <summary>The warnings computed before training: few images, imbalance, the same image in both sets, boxes under the smallest stride.</summary>
public class DataChecksTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("rekognition-datachecks-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private string File(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private static Stream Open(string path) => System.IO.File.OpenRead(path);

    [Test]
    public void ABalancedDatasetWithBigEnoughBoxesAndDistinctImages_HasNoWarnings()
    {
        var box = new NormalizedBox(0.1f, 0.1f, 0.3f, 0.3f);
        var train = Enumerable.Range(0, 20).Select(i => new TrainingImage(File($"t{i}.jpg", $"train {i}"), new[] { i % 2 }, new[] { new TrainingBox(i % 2, box) })).ToList();
        var test = new[] { new TestImage(new TrainingImage(File("x.jpg", "test"), new[] { 0 }, new[] { new TrainingBox(0, box) }), "s3://b/x.jpg", "{}") };
        var examples = new TrainingExamples(ModelKind.Detection, new[] { "a", "b" }, train, test, Array.Empty<string>());
        Assert.That(DataChecks.Run(examples, Open, CancellationToken.None), Is.Empty);
    }

    [Test]
    public void FewImages_Imbalance_SharedContent_AndTinyBoxes_AreEachWarned()
    {
        var big = new NormalizedBox(0.1f, 0.1f, 0.3f, 0.3f);
        var tiny = new NormalizedBox(0.5f, 0.5f, 0.02f, 0.025f); // under 8/256 of both sides
        var train = new List<TrainingImage>();
        for (var i = 0; i < 30; i++)
        {
            train.Add(new TrainingImage(File($"a{i}.jpg", $"a {i}"), new[] { 0 }, new[] { new TrainingBox(0, big) }));
        }

        train.Add(new TrainingImage(File("b0.jpg", "b 0"), new[] { 1 }, new[] { new TrainingBox(1, big), new TrainingBox(1, tiny) }));
        train.Add(new TrainingImage(File("b1.jpg", "b 1"), new[] { 1 }, new[] { new TrainingBox(1, big) }));
        // A test image with another name but the bytes of a training image.
        var test = new[] { new TestImage(new TrainingImage(File("copy.jpg", "a 7"), new[] { 0 }, new[] { new TrainingBox(0, big) }), "s3://b/copy.jpg", "{}") };
        var examples = new TrainingExamples(ModelKind.Detection, new[] { "a", "b" }, train, test, Array.Empty<string>());

        var warnings = DataChecks.Run(examples, Open, CancellationToken.None);
        Assert.That(warnings.Select(w => w.Code), Is.EquivalentTo(new[]
        {
            "WARNING_FEW_IMAGES_FOR_LABEL", "WARNING_LABEL_IMBALANCE", "WARNING_BOXES_SMALLER_THAN_STRIDE", "WARNING_IMAGE_IN_TRAINING_AND_TESTING",
        }));
        Assert.That(warnings.Where(w => w.Code != "WARNING_IMAGE_IN_TRAINING_AND_TESTING"), Has.All.Matches<Rekognition.Core.Validation.SummaryError>(w => w.Message.Contains("'b'")), "label a (30 images) is fine");
        Assert.That(warnings.Single(w => w.Code == "WARNING_IMAGE_IN_TRAINING_AND_TESTING").Message, Does.Contain("s3://b/copy.jpg"));
        Assert.That(warnings.Single(w => w.Code == "WARNING_BOXES_SMALLER_THAN_STRIDE").Message, Does.StartWith("1 box"));
    }

    [Test]
    public void ClassificationDatasets_AreNotCheckedForBoxes_AndNineVersusTenImagesIsTheLine()
    {
        var train = Enumerable.Range(0, 19).Select(i => new TrainingImage(File($"c{i}.jpg", $"c {i}"), new[] { i < 10 ? 0 : 1 }, Array.Empty<TrainingBox>())).ToList();
        var examples = new TrainingExamples(ModelKind.MultiClass, new[] { "ten", "nine" }, train, Array.Empty<TestImage>(), Array.Empty<string>());
        var warnings = DataChecks.Run(examples, Open, CancellationToken.None);
        Assert.That(warnings.Select(w => (w.Code, w.Message.Contains("'nine'"))), Is.EqualTo(new[] { ("WARNING_FEW_IMAGES_FOR_LABEL", true) }));
    }
}
