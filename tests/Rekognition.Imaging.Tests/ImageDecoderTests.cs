using Rekognition.Core.Images;
using Rekognition.Core.Model;
using Rekognition.Imaging.Decoding;
using SkiaSharp;

namespace Rekognition.Imaging.Tests;

/// <summary>What every <see cref="IImageDecoder"/> must do; one fixture per decoder below.</summary>
public abstract class ImageDecoderTests
{
    protected abstract IImageDecoder CreateDecoder(long maxPixels = SkiaImageDecoder.DefaultMaxPixels);

    /// <summary>Whether the decoder decodes a JPEG at a reduced scale when given a small target (ImageSharp 2 cannot).</summary>
    protected virtual bool ScalesJpeg => true;

    /// <summary>Bytes one decode may allocate once warm, beyond the pooled pixels.</summary>
    protected virtual long SteadyStateAllocationBudget => 1024;

    protected static string FirstPhoto() =>
        Directory.EnumerateFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../../../shared/data/hymenoptera"), "*.jpg", SearchOption.AllDirectories)
            .OrderBy(p => p, StringComparer.Ordinal).First();

    [Test]
    public void Decode_RealJpeg_MatchesTheHeaderSizeAndIsNotBlank()
    {
        var bytes = File.ReadAllBytes(FirstPhoto());
        var decoder = CreateDecoder();
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
        var decoder = CreateDecoder();
        var info = decoder.Probe(bytes);
        using var image = decoder.Decode(bytes, 64, 64);

        Assert.That(image.Width, ScalesJpeg ? Is.LessThan(info.Width) : Is.EqualTo(info.Width));
        Assert.That(Math.Min(image.Width, image.Height), Is.GreaterThanOrEqualTo(64));
        Assert.That((image.SourceWidth, image.SourceHeight), Is.EqualTo((info.Width, info.Height)));
    }

    [Test]
    public void Decode_Png_KeepsExactPixelsAndAlpha()
    {
        var png = TestImages.Quadrants(6, 4, SKEncodedImageFormat.Png);
        using var image = CreateDecoder().Decode(png);

        Assert.That((image.Width, image.Height), Is.EqualTo((6, 4)));
        Assert.That(Pixel(image, 0, 0), Is.EqualTo(TestImages.Red));
        Assert.That(Pixel(image, 5, 0), Is.EqualTo(TestImages.Green));
        Assert.That(Pixel(image, 0, 3), Is.EqualTo(TestImages.Blue));
        Assert.That(Pixel(image, 5, 3), Is.EqualTo(TestImages.White));
    }

    // Where each stored quadrant (red top-left, green top-right, blue bottom-left, white bottom-right) is shown,
    // read off the EXIF definitions: 3 turns 180 degrees, 6 turns 90 clockwise, 8 turns 90 counter-clockwise,
    // 2 / 4 mirror, 5 / 7 mirror about a diagonal. Listed as the colours shown at top-left, top-right, bottom-left, bottom-right.
    [TestCase((ushort)1, "red", "green", "blue", "white")]
    [TestCase((ushort)2, "green", "red", "white", "blue")]
    [TestCase((ushort)3, "white", "blue", "green", "red")]
    [TestCase((ushort)4, "blue", "white", "red", "green")]
    [TestCase((ushort)5, "red", "blue", "green", "white")]
    [TestCase((ushort)6, "blue", "red", "white", "green")]
    [TestCase((ushort)7, "white", "green", "blue", "red")]
    [TestCase((ushort)8, "green", "white", "red", "blue")]
    public void Decode_JpegWithExifOrientation_ShowsThePixelsTurned(ushort orientation, string topLeft, string topRight, string bottomLeft, string bottomRight)
    {
        var jpeg = TestImages.WithJpegOrientation(TestImages.Quadrants(64, 32, SKEncodedImageFormat.Jpeg), orientation, littleEndian: orientation % 2 == 0);
        var decoder = CreateDecoder();
        var swapped = orientation >= 5;

        using var image = decoder.Decode(jpeg);

        Assert.That((image.Width, image.Height), Is.EqualTo(swapped ? (32, 64) : (64, 32)));
        Assert.That((image.SourceWidth, image.SourceHeight), Is.EqualTo((image.Width, image.Height)));
        AssertQuadrants(image, topLeft, topRight, bottomLeft, bottomRight);
        var info = decoder.Probe(jpeg);
        Assert.That((info.Width, info.Height), Is.EqualTo((image.Width, image.Height)));
        Assert.That(info.IsOk);
    }

    [Test]
    public void Decode_RotatedJpegWithSmallTarget_ScalesAndTurns()
    {
        var jpeg = TestImages.WithJpegOrientation(TestImages.Quadrants(512, 256, SKEncodedImageFormat.Jpeg), 6);

        using var image = CreateDecoder().Decode(jpeg, 40, 90);

        // Shown as 256x512; the target 40x90 allows 1/4 (64x128) but not 1/8 (32x64).
        Assert.That((image.Width, image.Height), Is.EqualTo(ScalesJpeg ? (64, 128) : (256, 512)));
        Assert.That((image.SourceWidth, image.SourceHeight), Is.EqualTo((256, 512)));
        AssertQuadrants(image, "blue", "red", "white", "green");
    }

    [Test]
    public void Decode_PngWithExifChunk_ShowsThePixelsTurned()
    {
        var png = TestImages.WithPngOrientation(TestImages.Quadrants(8, 4, SKEncodedImageFormat.Png), 8);
        var decoder = CreateDecoder();

        using var image = decoder.Decode(png);

        Assert.That((image.Width, image.Height), Is.EqualTo((4, 8)));
        AssertQuadrants(image, "green", "white", "red", "blue");
        Assert.That((decoder.Probe(png).Width, decoder.Probe(png).Height), Is.EqualTo((4, 8)));
    }

    [Test]
    public void Decode_Nothing_IsAnInvalidFormat()
    {
        Assert.Throws<InvalidImageFormatException>(() => CreateDecoder().Decode([]));
        Assert.That(CreateDecoder().Probe([]).Status, Is.EqualTo(ImageProbeStatus.UnsupportedFormat));
    }

    [Test]
    public void Decode_RandomBytes_IsAnInvalidFormat()
    {
        var bytes = new byte[4096];
        new Random(11).NextBytes(bytes);
        bytes[0] = 0; // not by chance a signature
        Assert.Throws<InvalidImageFormatException>(() => CreateDecoder().Decode(bytes));
    }

    [TestCase(SKEncodedImageFormat.Gif)]
    [TestCase(SKEncodedImageFormat.Bmp)]
    public void Decode_OtherFormats_AreInvalidFormats(SKEncodedImageFormat format)
    {
        // Skia encodes neither; a valid header is enough, as the format is refused from it.
        byte[] bytes = format == SKEncodedImageFormat.Gif
            ? [.. "GIF89a"u8, 4, 0, 4, 0, 0, 0, 0, 0x3B]
            : [.. "BM"u8, 70, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 32, 0, .. new byte[40]];

        var error = Assert.Throws<InvalidImageFormatException>(() => CreateDecoder().Decode(bytes));
        Assert.That(error!.Message, Does.Contain(format.ToString().ToUpperInvariant()));
    }

    [TestCase(SKEncodedImageFormat.Jpeg, 0.3)]
    [TestCase(SKEncodedImageFormat.Jpeg, 0.9)]
    [TestCase(SKEncodedImageFormat.Png, 0.3)]
    [TestCase(SKEncodedImageFormat.Png, 0.9)]
    public void Decode_TruncatedImage_IsAnInvalidFormat(SKEncodedImageFormat format, double kept)
    {
        var bytes = NoisyImage(format);
        Assert.Throws<InvalidImageFormatException>(() => CreateDecoder().Decode(bytes.AsSpan(0, (int)(bytes.Length * kept))));
    }

    [Test]
    public void Decode_PngMissingItsMiddleButEndingWithIend_IsAnInvalidFormat()
    {
        // Cut out of the middle so the end marker the header probe looks for is still there: libpng must see it.
        var bytes = NoisyImage(SKEncodedImageFormat.Png);
        byte[] damaged = [.. bytes.AsSpan(0, bytes.Length / 2), .. bytes.AsSpan(bytes.Length - 16)];
        Assert.Throws<InvalidImageFormatException>(() => CreateDecoder().Decode(damaged));
    }

    [Test]
    public void Decode_JpegMissingItsMiddleButEndingWithEoi_DecodesConcealedOrRefuses()
    {
        // libjpeg conceals a scan that ends early (a warning, the missing blocks left flat), and Skia reports
        // success for it; what must hold is that it never fails in any other way and keeps its size.
        var bytes = NoisyImage(SKEncodedImageFormat.Jpeg);
        byte[] damaged = [.. bytes.AsSpan(0, bytes.Length / 2), .. bytes.AsSpan(bytes.Length - 16)];
        try
        {
            using var image = CreateDecoder().Decode(damaged);
            Assert.That((image.Width, image.Height), Is.EqualTo((96, 64)));
        }
        catch (InvalidImageFormatException)
        {
            Assert.Pass("refused");
        }
    }

    [TestCase(SKEncodedImageFormat.Jpeg)]
    [TestCase(SKEncodedImageFormat.Png)]
    public void Decode_CorruptedBytes_DecodesOrRefusesButNeverFailsOtherwise(SKEncodedImageFormat format)
    {
        var clean = NoisyImage(format);
        var random = new Random(5);
        var decoder = CreateDecoder();
        var refused = 0;
        for (var round = 0; round < 100; round++)
        {
            var bytes = (byte[])clean.Clone();
            for (var i = 0; i < 8; i++)
            {
                bytes[random.Next(2, bytes.Length - 2)] = (byte)random.Next(256);
            }

            try
            {
                using var image = decoder.Decode(bytes, 16, 16);
                Assert.That(image.Width, Is.Positive);
            }
            catch (Exception ex) when (ex is InvalidImageFormatException or ImageTooLargeException)
            {
                refused++;
            }
        }

        Assert.That(refused, Is.Positive, "some of the damage is detectable");
    }

    [Test]
    public void Decode_AfterDamagedImagesOnTheSameThread_StillDecodes()
    {
        // A codec left mid-stream by an error must not spoil the next image.
        var decoder = CreateDecoder();
        var clean = TestImages.Quadrants(64, 32, SKEncodedImageFormat.Jpeg);
        var damaged = (byte[])clean.Clone();
        damaged.AsSpan(20, 200).Fill(0xA5);
        for (var i = 0; i < 3; i++)
        {
            try
            {
                decoder.Decode(damaged).Dispose();
            }
            catch (InvalidImageFormatException)
            {
            }

            using var image = decoder.Decode(clean);
            AssertQuadrants(image, "red", "green", "blue", "white");
        }
    }

    [Test]
    public void Decode_SteadyState_AllocatesLittleMoreThanTheResultObject()
    {
        // The pixels come from the array pool; what is left is the result object and the codec's small wrappers.
        var decoder = CreateDecoder();
        var jpeg = TestImages.Quadrants(640, 480, SKEncodedImageFormat.Jpeg);
        decoder.Decode(jpeg, 224, 224).Dispose();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++)
        {
            decoder.Decode(jpeg, 224, 224).Dispose();
        }

        // Averaged over 50 calls so that a one-off growth of a cache inside SkiaSharp does not count.
        Assert.That((GC.GetAllocatedBytesForCurrentThread() - before) / 50, Is.LessThan(SteadyStateAllocationBudget));
    }

    [Test]
    public void Decode_PngHeaderDeclaringAHugeImage_IsRefusedBeforeDecoding()
    {
        var bomb = TestImages.PngHeaderOnly(60000, 60000);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<ImageTooLargeException>(() => CreateDecoder().Decode(bomb));

        Assert.That(error!.Message, Does.Contain("60000x60000"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(64 * 1024), "nothing sized by the header was allocated");
        Assert.That(CreateDecoder().Probe(bomb).Width, Is.EqualTo(60000), "probing reads the size and decodes nothing");
    }

    [Test]
    public void Decode_JpegHeaderDeclaringAHugeImage_IsRefusedBeforeDecoding()
    {
        var bomb = TestImages.JpegHeaderOnly(60000, 60000);
        var error = Assert.Throws<ImageTooLargeException>(() => CreateDecoder().Decode(bomb, 224, 224));
        Assert.That(error!.Message, Does.Contain("60000x60000"));
    }

    [Test]
    public void Decode_ImageAboveTheConfiguredLimit_IsTooLarge()
    {
        var png = TestImages.Quadrants(20, 10, SKEncodedImageFormat.Png);
        Assert.Throws<ImageTooLargeException>(() => CreateDecoder(199).Decode(png));
        using var image = CreateDecoder(200).Decode(png);
        Assert.That(image.Width, Is.EqualTo(20));
    }

    protected static byte[] NoisyImage(SKEncodedImageFormat format)
    {
        // Noise compresses badly, so a cut lands inside the pixel data, not in a run of identical bytes.
        using var bitmap = new SKBitmap(new SKImageInfo(96, 64, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var pixels = new byte[96 * 64 * 4];
        new Random(9).NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    private static SKColor Pixel(DecodedImage image, int x, int y)
    {
        var at = y * image.RowBytes + x * 4;
        var p = image.Pixels;
        return new SKColor(p[at], p[at + 1], p[at + 2], p[at + 3]);
    }

    private static void AssertQuadrants(DecodedImage image, string topLeft, string topRight, string bottomLeft, string bottomRight)
    {
        var (w, h) = (image.Width, image.Height);
        Assert.Multiple(() =>
        {
            AssertColour(Pixel(image, w / 4, h / 4), topLeft, "top-left");
            AssertColour(Pixel(image, 3 * w / 4, h / 4), topRight, "top-right");
            AssertColour(Pixel(image, w / 4, 3 * h / 4), bottomLeft, "bottom-left");
            AssertColour(Pixel(image, 3 * w / 4, 3 * h / 4), bottomRight, "bottom-right");
        });
    }

    private static void AssertColour(SKColor actual, string expected, string where)
    {
        var colour = expected switch
        {
            "red" => TestImages.Red,
            "green" => TestImages.Green,
            "blue" => TestImages.Blue,
            _ => TestImages.White,
        };
        var distance = Math.Abs(actual.Red - colour.Red) + Math.Abs(actual.Green - colour.Green) + Math.Abs(actual.Blue - colour.Blue);
        Assert.That(distance, Is.LessThan(60), $"{where} should be {expected}, is {actual}");
    }
}
