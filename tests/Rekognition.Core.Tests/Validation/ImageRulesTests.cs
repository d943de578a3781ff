using Rekognition.Core.Tests.TestSupport;
using Rekognition.Core.Validation;
using static Rekognition.Core.Tests.Validation.ValidatorFixture;

namespace Rekognition.Core.Tests.Validation;

public class ImageRulesTests
{
    private ValidatorFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new ValidatorFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private (LineOutcome Outcome, string[] Codes) Check(string key, byte[] image, bool boxes = false)
    {
        var sourceRef = _fx.PutImage(key, image);
        var text = boxes ? GroundTruthLines.Boxes(sourceRef, 100, 100, (0, 1, 1, 10, 10)) : GroundTruthLines.Classification(sourceRef, "x");
        var line = _fx.One(text, images: true);
        return (line.Outcome, Codes(JsonOf(line)));
    }

    [Test]
    public void ValidImagesPass()
    {
        Assert.That(Check("ok.png", PngBuilder.Rgb(64, 64)).Codes, Is.Empty);
        Assert.That(Check("ok.jpg", JpegBuilder.Header(4096, 205)).Codes, Is.Empty);
    }

    [Test]
    public void BadImagesAreInvalidImages()
    {
        var png = PngBuilder.Rgb(100, 100);
        Assert.That(Check("truncated.png", png[..^12]), Is.EqualTo((LineOutcome.Invalid, new[] { ValidationCodes.InvalidImage })));
        Assert.That(Check("text.jpg", "just text"u8.ToArray()).Codes, Is.EqualTo(new[] { ValidationCodes.InvalidImage }));
        Assert.That(Check("small.png", PngBuilder.Rgb(32, 32)).Codes, Is.EqualTo(new[] { ValidationCodes.InvalidImage }));
        Assert.That(Check("large.jpg", JpegBuilder.Header(5000, 100)).Codes, Is.EqualTo(new[] { ValidationCodes.InvalidImage }));
        Assert.That(Check("thin.jpg", JpegBuilder.Header(2100, 100)).Codes, Is.EqualTo(new[] { ValidationCodes.InvalidImage }));
        Assert.That(Check("bomb.png", PngBuilder.DeclaringSize(60_000, 60_000)).Codes, Is.EqualTo(new[] { ValidationCodes.InvalidImage }));
        Assert.That(Check("real.gif", File.ReadAllBytes(SharedData.PathOf("hymenoptera/train/ants/imageNotFound.gif"))).Codes, Is.EqualTo(new[] { ValidationCodes.InvalidImage }));
    }

    [Test]
    public void DimensionsOutOfRangeOnABoxLineAreAnImageDimensionError() =>
        Assert.That(Check("small-boxes.png", PngBuilder.Rgb(32, 32), boxes: true).Codes, Is.EqualTo(new[] { ValidationCodes.InvalidImageDimension }));

    [Test]
    public void MissingImageAndTooManyBytes()
    {
        Assert.That(Codes(JsonOf(_fx.One(GroundTruthLines.Classification("s3://bucket/none.jpg", "x"), images: true))), Is.EqualTo(new[] { ValidationCodes.InvalidImage }));
        using var fx = new ValidatorFixture(new ManifestLimits { MaxImageBytes = 1000 });
        var sourceRef = fx.PutImage("big.jpg", JpegBuilder.Header(100, 100, appPaddingBytes: 2000));
        var line = fx.One(GroundTruthLines.Classification(sourceRef, "x"), images: true);
        Assert.That(line.Issues.Single().Message, Does.Contain("at most 1,000 bytes"));
    }

    [Test]
    public void SymbolicLinkOutOfTheRootsIsRefused()
    {
        var outside = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".png");
        File.WriteAllBytes(outside, PngBuilder.Rgb(80, 80));
        try
        {
            File.CreateSymbolicLink(Path.Combine(_fx.Root, "buckets", "bucket", "link.png"), outside);
            var line = _fx.One(GroundTruthLines.Classification("s3://bucket/link.png", "x"), images: true);
            Assert.That(line.Issues.Single().Message, Does.Contain("symbolic link"));
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Test]
    public void RealCatManifestWithItsImages()
    {
        var options = new RekognitionOptions { StoreRoot = _fx.Root, AllowedImageRoots = { SharedData.PathOf("groundtruth/cat-labels") } };
        var validator = new ManifestLineValidator(new ManifestLimits(), new Rekognition.Core.Storage.SourceRefResolver(options), checkImages: true);
        var manifest = string.Join("\n", Enumerable.Range(1, 4).Select(i => GroundTruthLines.Boxes($"images/{i:0000}.jpg", 601, 453, (0, 237, 165, 164, 157))));
        var lines = validator.Validate(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(manifest)), SharedData.PathOf("groundtruth/cat-labels")).ToList();
        Assert.That(lines.Select(l => l.Outcome), Is.All.EqualTo(LineOutcome.Valid));
    }
}
