using Rekognition.Imaging.Decoding;

namespace Rekognition.Imaging.Tests;

public class SkiaImageDecoderTests
{
    private static string FirstPhoto() =>
        Directory.EnumerateFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../../../shared/data/hymenoptera"), "*.jpg", SearchOption.AllDirectories)
            .OrderBy(p => p, StringComparer.Ordinal).First();

    [Test]
    public void Decode_RealJpeg_MatchesTheHeaderSizeAndIsNotBlank()
    {
        var bytes = File.ReadAllBytes(FirstPhoto());
        var decoder = new SkiaImageDecoder();
        var info = decoder.Probe(bytes);
        using var image = decoder.Decode(bytes);

        Assert.That((image.Width, image.Height), Is.EqualTo((info.Width, info.Height)));
        var pixels = image.Pixels;
        Assert.That(pixels.ToArray().Distinct().Count(), Is.GreaterThan(50), "a photo has many distinct values");
        Assert.That(pixels[3], Is.EqualTo(255), "JPEG pixels are opaque");
    }

    [Test]
    public void Decode_WithSmallTarget_DecodesAtAReducedScaleThatStillCoversIt()
    {
        var bytes = File.ReadAllBytes(FirstPhoto());
        var decoder = new SkiaImageDecoder();
        var info = decoder.Probe(bytes);
        using var image = decoder.Decode(bytes, 64, 64);

        Assert.That(image.Width, Is.LessThan(info.Width));
        Assert.That(Math.Min(image.Width, image.Height), Is.GreaterThanOrEqualTo(64));
        Assert.That((image.SourceWidth, image.SourceHeight), Is.EqualTo((info.Width, info.Height)));
    }
}
