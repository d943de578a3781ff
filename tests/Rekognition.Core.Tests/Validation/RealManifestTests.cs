using Rekognition.Core.Tests.TestSupport;
using Rekognition.Core.Validation;

namespace Rekognition.Core.Tests.Validation;

/// <summary>Real SageMaker Ground Truth outputs (shared/data/groundtruth), image checks off.</summary>
public class RealManifestTests
{
    private ValidatorFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new ValidatorFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private (List<ValidatedLine> Lines, ManifestTally Tally) Run(string relative)
    {
        using var stream = File.OpenRead(SharedData.PathOf(relative));
        var lines = _fx.Lines.Validate(stream, null).ToList();
        var tally = new ManifestTally(_fx.Limits);
        lines.ForEach(tally.Add);
        return (lines, tally);
    }

    [Test]
    public void CatLabels()
    {
        var (lines, tally) = Run("groundtruth/cat-labels/output.manifest");
        Assert.That(lines.Select(l => l.Outcome), Is.EqualTo(new[] { LineOutcome.Ignored, LineOutcome.Valid, LineOutcome.Valid, LineOutcome.Valid }));
        Assert.That(lines[0].Issues.Select(i => i.Code), Is.EqualTo(new[] { ValidationCodes.NoAttributeAnnotations, ValidationCodes.NoAnnotations }));
        Assert.That(tally.Labels, Is.EqualTo(new[] { "Cat" }));
    }

    [Test]
    public void BirdDetectionWithFractionalBoxes()
    {
        var (lines, tally) = Run("groundtruth/misc/aws-sagemaker-examples_yolov5-bird_object-detection_sample_output.manifest");
        Assert.That(tally.TotalLines, Is.EqualTo(100));
        Assert.That(tally.ValidLines, Is.EqualTo(100));
        Assert.That(lines.Sum(l => l.BoundingBoxCount), Is.EqualTo(192));
    }

    [Test]
    public void LogoDetectionWithEmptyLines()
    {
        var (_, tally) = Run("groundtruth/misc/bcbs-logo_object-detection_output.manifest");
        Assert.That((tally.TotalLines, tally.IgnoredLines, tally.ValidLines + tally.InvalidLines), Is.EqualTo((470, 42, 428)));
        Assert.That(tally.BoundingBoxLabels, Is.EqualTo(new[] { "BCBS" }));
    }

    [Test]
    public void ClassificationWithoutConfidenceIsAMetadataError()
    {
        // This job's output has no 'confidence' key, which the format requires.
        var (lines, tally) = Run("groundtruth/misc/bird-detection_image-classification_output.manifest");
        Assert.That(tally.TotalLines, Is.EqualTo(477));
        Assert.That(lines.Select(l => l.Issues[0].Code).Distinct(), Is.EqualTo(new[] { ValidationCodes.InvalidLabelAttributeMetadataFormat }));
    }

    [Test]
    public void MixedFeatureStoreSample()
    {
        var (lines, _) = Run("groundtruth/misc/aws-sagemaker-examples_featurestore_mixed_output.manifest");
        Assert.That(lines[0].Issues[0].Code, Is.EqualTo(ValidationCodes.InvalidLabelAttributeFormat));
        Assert.That(lines[1].Issues[0].Code, Is.EqualTo(ValidationCodes.MissingSourceRef));
    }

    [Test]
    public void InputManifestLinesAreUnannotated()
    {
        var (_, tally) = Run("groundtruth/cat-labels/input.manifest.json");
        Assert.That((tally.TotalLines, tally.IgnoredLines), Is.EqualTo((10, 10)));
    }
}
