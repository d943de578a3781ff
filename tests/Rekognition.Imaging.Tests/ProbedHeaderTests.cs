using Rekognition.Core.Images;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Imaging.Preprocessing;
using SkiaSharp;

namespace Rekognition.Imaging.Tests;

/// <summary>A header the caller already probed is used by the decoders, not read again (DetectCustomLabels reads it once).</summary>
public class ProbedHeaderTests
{
    private static IEnumerable<TestCaseData> Decoders()
    {
        yield return new TestCaseData(ImageDecoderKind.SkiaSharp, SKEncodedImageFormat.Jpeg);
        yield return new TestCaseData(ImageDecoderKind.SkiaSharp, SKEncodedImageFormat.Png);
        yield return new TestCaseData(ImageDecoderKind.ImageSharp, SKEncodedImageFormat.Jpeg);
        yield return new TestCaseData(ImageDecoderKind.TurboJpeg, SKEncodedImageFormat.Jpeg);
        yield return new TestCaseData(ImageDecoderKind.TurboJpeg, SKEncodedImageFormat.Png);
    }

    [TestCaseSource(nameof(Decoders))]
    public void Decode_WithTheProbedHeader_GivesTheSamePixels_AndTrustsIt(ImageDecoderKind kind, SKEncodedImageFormat format)
    {
        var decoder = Create(kind);
        var bytes = TestImages.Quadrants(120, 80, format);
        var header = ImageHeaderProbe.Probe(bytes);

        using (var plain = decoder.Decode(bytes, 60, 40))
        using (var given = decoder.Decode(bytes, header, 60, 40))
        {
            Assert.That((given.Width, given.Height), Is.EqualTo((plain.Width, plain.Height)));
            Assert.That(given.Pixels.ToArray(), Is.EqualTo(plain.Pixels.ToArray()));
        }

        // The header is not read again: one that declares a huge image is refused by its word alone ...
        var huge = header with { Width = 100_000, Height = 100_000 };
        Assert.Throws<ImageTooLargeException>(() => decoder.Decode(bytes, huge, 60, 40).Dispose());
        // ... while a header of other bytes (another length) is read anew from these.
        using var reread = decoder.Decode(bytes, huge with { ByteLength = bytes.Length + 1 }, 60, 40);
        Assert.That(reread.SourceWidth, Is.EqualTo(120));
    }

    [Test]
    public void Prepare_WithTheProbedHeader_WritesTheSameTensor()
    {
        var decoder = Create(ImageDecoderKind.TurboJpeg);
        var preprocessor = new TensorPreprocessor(new ModelInputSpec { Width = 32, Height = 32 });
        var bytes = TestImages.Quadrants(400, 200, SKEncodedImageFormat.Jpeg);
        var plain = new float[preprocessor.ElementsPerImage];
        var given = new float[preprocessor.ElementsPerImage];

        using (var image = preprocessor.Prepare(decoder, bytes))
        {
            preprocessor.WriteInSourcePixels(image, plain);
        }

        using (var image = preprocessor.Prepare(decoder, bytes, ImageHeaderProbe.Probe(bytes)))
        {
            Assert.That(image.Planes, Is.Not.Null, "the planes path takes the header too");
            preprocessor.WriteInSourcePixels(image, given);
        }

        Assert.That(given, Is.EqualTo(plain));
    }

    private static IImageDecoder Create(ImageDecoderKind kind)
    {
        if (kind == ImageDecoderKind.TurboJpeg)
        {
            YuvPreprocessingTests.RequireTurbo();
        }

        return ImageDecoders.Create(kind);
    }
}
