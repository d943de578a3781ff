using Rekognition.Imaging.Decoding;
using SkiaSharp;

namespace Rekognition.Imaging.Tests;

/// <summary>The shared decoder tests on <see cref="TurboJpegImageDecoder"/>, which runs only where libturbojpeg is installed.</summary>
public class TurboJpegImageDecoderTests : ImageDecoderTests
{
    [SetUp]
    public void RequireTheLibrary()
    {
        if (!TurboJpegImageDecoder.IsAvailable)
        {
            Assert.Fail("No libturbojpeg on this machine: install it (Debian/Ubuntu: apt-get install libturbojpeg0).");
        }
    }

    [Test]
    public void Decode_Jpeg_GivesTheSamePixelsAsSkiaSharp([Values(0, 200)] int target)
    {
        // Both are libjpeg-turbo with the accurate integer IDCT and fancy upsampling; the SIMD kernels are exact.
        var bytes = File.ReadAllBytes(FirstPhoto());
        using var turbo = CreateDecoder().Decode(bytes, target, target);
        using var skia = new SkiaImageDecoder().Decode(bytes, target, target);

        Assert.That((turbo.Width, turbo.Height, turbo.SourceWidth, turbo.SourceHeight), Is.EqualTo((skia.Width, skia.Height, skia.SourceWidth, skia.SourceHeight)));
        var a = turbo.Pixels.ToArray();
        var b = skia.Pixels.ToArray();
        var worst = 0;
        for (var i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }

        Assert.That(worst, Is.LessThanOrEqualTo(2));
    }

    [Test]
    public void Decode_Png_GoesToSkiaSharp()
    {
        var png = TestImages.Quadrants(6, 4, SKEncodedImageFormat.Png);
        using var image = CreateDecoder().Decode(png);
        Assert.That((image.Width, image.Height), Is.EqualTo((6, 4)));
    }

    protected override IImageDecoder CreateDecoder(long maxPixels = SkiaImageDecoder.DefaultMaxPixels) => new TurboJpegImageDecoder(maxPixels);
}
