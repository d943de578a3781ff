using Rekognition.Core.Inference.Decoding;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Imaging.Preprocessing;

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

    [Test]
    public void Preprocess_UniformImage_GivesTheNormalizedValueEverywhere()
    {
        var spec = new ModelInputSpec { Width = 8, Height = 6 };
        var preprocessor = new TensorPreprocessor(spec);
        var rgba = new byte[20 * 10 * 4];
        for (var i = 0; i < rgba.Length; i += 4)
        {
            rgba[i] = 200;
            rgba[i + 1] = 100;
            rgba[i + 2] = 50;
            rgba[i + 3] = 255;
        }

        var tensor = new float[preprocessor.ElementsPerImage];
        var geometry = preprocessor.Write(rgba, 20, 10, 80, tensor);

        Assert.That(tensor[0], Is.EqualTo((200 / 255f - 0.485f) / 0.229f).Within(1e-5));
        Assert.That(tensor[48], Is.EqualTo((100 / 255f - 0.456f) / 0.224f).Within(1e-5));
        Assert.That(tensor[^1], Is.EqualTo((50 / 255f - 0.406f) / 0.225f).Within(1e-5));
        Assert.That(geometry, Is.EqualTo(InputGeometry.Stretch(20, 10, 8, 6)));
    }
}
