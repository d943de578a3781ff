using Rekognition.Imaging.Decoding;

namespace Rekognition.Imaging.Tests;

/// <summary>The shared decoder tests on the fully managed <see cref="ImageSharpImageDecoder"/>, and how it compares.</summary>
public class ImageSharpImageDecoderTests : ImageDecoderTests
{
    // ImageSharp 2 has no scaled JPEG decode.
    protected override bool ScalesJpeg => false;

    // Its decoders are objects made per image (frames, components, scan buffers' wrappers); the pixel memory is pooled.
    protected override long SteadyStateAllocationBudget => 64 * 1024;

    [Test]
    public void Decode_RealJpeg_IsCloseToSkiaSharpsPixels()
    {
        // Different IDCT and chroma upsampling than libjpeg's: close, not equal.
        var bytes = File.ReadAllBytes(FirstPhoto());
        using var managed = CreateDecoder().Decode(bytes);
        using var skia = new SkiaImageDecoder().Decode(bytes);

        Assert.That((managed.Width, managed.Height), Is.EqualTo((skia.Width, skia.Height)));
        var a = managed.Pixels.ToArray();
        var b = skia.Pixels.ToArray();
        double total = 0;
        for (var i = 0; i < a.Length; i++)
        {
            total += Math.Abs(a[i] - b[i]);
        }

        Assert.That(total / a.Length, Is.LessThan(2.0), "mean absolute difference per channel");
    }

    [Test]
    public void Create_ByKind_GivesThatDecoder_AndAutoTheFastestPresent()
    {
        Assert.That(ImageDecoders.Create(ImageDecoderKind.ImageSharp), Is.InstanceOf<ImageSharpImageDecoder>());
        Assert.That(ImageDecoders.Create(ImageDecoderKind.SkiaSharp), Is.InstanceOf<SkiaImageDecoder>());
        Assert.That(ImageDecoders.SkiaSharpIsAvailable, Is.True);
        Assert.That(ImageDecoders.Create(), TurboJpegImageDecoder.IsAvailable ? Is.InstanceOf<TurboJpegImageDecoder>() : Is.InstanceOf<SkiaImageDecoder>());
    }

    protected override IImageDecoder CreateDecoder(long maxPixels = SkiaImageDecoder.DefaultMaxPixels) => new ImageSharpImageDecoder(maxPixels);
}
