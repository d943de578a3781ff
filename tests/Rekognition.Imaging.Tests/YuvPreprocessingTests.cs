using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Imaging.Preprocessing;
using SkiaSharp;

namespace Rekognition.Imaging.Tests;

/// <summary>
/// The YCbCr path (raw JPEG planes resized and converted at the input size): the fast loops against the scalar
/// reference value by value, and the whole path against libjpeg's own RGB decode within a stated tolerance.
/// </summary>
public class YuvPreprocessingTests
{
    // Vector and reference differ only in float rounding (chroma weights summing to 1 +- an ulp, times 128).
    private const float Tolerance = 1e-4f;

    private static readonly (int Width, int Height)[] SourceSizes = [(1, 1), (2, 3), (7, 5), (31, 17), (64, 64), (223, 97), (480, 270), (5, 120)];

    private static readonly (int Width, int Height)[] InputSizes = [(1, 1), (13, 29), (224, 224), (33, 16)];

    private static readonly (int X, int Y)[] Subsamplings = [(0, 0), (1, 0), (1, 1), (0, 1)];

    // The planes path resizes whole images; a centre crop is written from RGBA (see CentreCropTests).
    public static IEnumerable<TestCaseData> Specs() =>
        TensorPreprocessorTests.Specs().Where(c => ((ModelInputSpec)c.Arguments[0]!).Resize != ResizeMode.CentreCrop);

    [TestCaseSource(nameof(Specs))]
    public void WriteYuv_MatchesTheReference_ForEverySizeAndSubsampling(ModelInputSpec template)
    {
        var random = new Random(99);
        foreach (var (inputWidth, inputHeight) in InputSizes)
        {
            var spec = TensorPreprocessorTests.WithSize(template, inputWidth, inputHeight);
            var reference = new ReferencePreprocessor(spec);
            var vector = new TensorPreprocessor(spec);
            var scalar = new TensorPreprocessor(spec, allowSimd: false);
            foreach (var (width, height) in SourceSizes)
            {
                foreach (var (shiftX, shiftY) in Subsamplings)
                {
                    using var image = RandomPlanes(random, width, height, shiftX, shiftY);
                    var expected = new float[reference.ElementsPerImage];
                    var expectedGeometry = reference.WriteYuv(image.Luma, image.LumaStride, image.Cb, image.Cr, image.ChromaStride,
                        image.Width, image.Height, image.ChromaShiftX, image.ChromaShiftY, expected);
                    foreach (var (name, preprocessor) in new[] { ("vector", vector), ("scalar", scalar) })
                    {
                        var actual = new float[preprocessor.ElementsPerImage];
                        actual.AsSpan().Fill(float.NaN);
                        var geometry = preprocessor.Write(image, actual);

                        var what = $"{name} {width}x{height} chroma 1/{1 << shiftX}x1/{1 << shiftY} -> {inputWidth}x{inputHeight}";
                        Assert.That(geometry, Is.EqualTo(expectedGeometry), what);
                        for (var i = 0; i < expected.Length; i++)
                        {
                            if (!(Math.Abs(actual[i] - expected[i]) <= Tolerance))
                            {
                                Assert.Fail($"{what}: element {i} is {actual[i]}, the reference {expected[i]}");
                            }
                        }
                    }
                }
            }
        }
    }

    [Test]
    public void WriteYuv_GreyPlanes_GiveTheGreyLevelInEveryChannel()
    {
        var spec = new ModelInputSpec { Width = 16, Height = 8, Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1] };
        using var image = new YuvImage(40, 30, 40, 30, 1, 1);
        image.Luma.Fill(77);
        image.Cb.Fill(128);
        image.Cr.Fill(128);
        var tensor = new float[3 * 16 * 8];

        new TensorPreprocessor(spec).Write(image, tensor);

        Assert.That(tensor, Is.All.EqualTo(77f).Within(1e-4));
    }

    [Test]
    public void WriteEncoded_TurboJpegPhoto_MatchesTheRgbDecodeWithinLibjpegsRounding([Values(224, 96)] int size)
    {
        RequireTurbo();
        var spec = new ModelInputSpec { Width = size, Height = size, Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1] };
        var preprocessor = new TensorPreprocessor(spec) { PreferYuvPlanes = true };
        var decoder = new TurboJpegImageDecoder();
        foreach (var path in Photos().Take(6))
        {
            var jpeg = File.ReadAllBytes(path);
            var viaPlanes = new float[preprocessor.ElementsPerImage];
            var geometry = preprocessor.WriteEncoded(decoder, jpeg, viaPlanes);

            using var rgb = decoder.Decode(jpeg, size, size);
            var viaRgb = new float[preprocessor.ElementsPerImage];
            preprocessor.Write(rgb, viaRgb);

            // Values are 0..255 here. These photos are 4:4:4 (see the subsampling test for 4:2:0 and 4:2:2). libjpeg
            // rounds each RGB pixel to 8 bits before the resize; the planes path converts after it, in floats. Measured:
            // mean 0.16-0.21 levels, 99.9th percentile under 2, worst 4-14 (a saturated edge, clamped before resizing).
            var differences = viaPlanes.Zip(viaRgb, (a, b) => Math.Abs(a - b)).Order().ToArray();
            var mean = differences.Average();
            var p999 = differences[(int)(differences.Length * 0.999)];
            TestContext.Out.WriteLine($"{Path.GetFileName(path)}: mean {mean:0.000}, p99.9 {p999:0.00}, max {differences[^1]:0.00}");
            Assert.That(mean, Is.LessThan(0.5), path);
            Assert.That(p999, Is.LessThan(3), path);
            Assert.That(geometry.ImageWidth, Is.EqualTo(rgb.SourceWidth));
            Assert.That(geometry.ImageHeight, Is.EqualTo(rgb.SourceHeight));
        }
    }

    [Test]
    public void WriteEncoded_TurboJpeg_EverySubsamplingSkiaWrites_MatchesTheRgbDecode([Values] SKJpegEncoderDownsample downsample, [Values(0, 3)] int trim)
    {
        RequireTurbo();
        // A photo re-encoded with the chroma subsampling under test, at an odd size (padded planes).
        using var photo = new TurboJpegImageDecoder().Decode(File.ReadAllBytes(Photos().First()));
        var info = new SKImageInfo(photo.Width - trim, photo.Height - trim, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pixels = new byte[info.BytesSize];
        for (var y = 0; y < info.Height; y++)
        {
            photo.Pixels.Slice(y * photo.RowBytes, info.RowBytes).CopyTo(pixels.AsSpan(y * info.RowBytes));
        }

        var handle = System.Runtime.InteropServices.GCHandle.Alloc(pixels, System.Runtime.InteropServices.GCHandleType.Pinned);
        byte[] jpeg;
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var data = pixmap.Encode(new SKJpegEncoderOptions(90, downsample, SKJpegEncoderAlphaOption.Ignore));
            jpeg = data!.ToArray();
        }
        finally
        {
            handle.Free();
        }

        var decoder = new TurboJpegImageDecoder();
        using (var planes = decoder.TryDecodeYuv(jpeg, 96, 96))
        {
            Assert.That(planes, Is.Not.Null);
            var expectedShift = downsample switch { SKJpegEncoderDownsample.Downsample420 => (1, 1), SKJpegEncoderDownsample.Downsample422 => (1, 0), _ => (0, 0) };
            Assert.That((planes!.ChromaShiftX, planes.ChromaShiftY), Is.EqualTo(expectedShift));
        }

        // Full scale (here enlarged to 1024): libjpeg upsamples chroma with centred samples, as the planes path resizes
        // it, so they agree closely, odd sizes included. Measured: 4:2:0 mean 0.27, p99.9 3.4; 4:2:2 0.25, 2.6; 4:4:4 0.22, 0.7.
        var (fullMean, _, fullP999) = PlanesAgainstRgb(decoder, jpeg, 1024);
        Assert.That(fullMean, Is.LessThan(0.5), $"{downsample} full scale");
        Assert.That(fullP999, Is.LessThan(5), $"{downsample} full scale");

        // Reduced scale: libjpeg's own scaled RGB decode enlarges the chroma IDCT to the luma size, so it keeps more
        // colour detail than the raw chroma planes (half the luma resolution). Measured on this photo at 4:2:0: mean 0.65
        // levels, p99 9, p99.9 18, worst 33 (sharp colour edges); 4:2:2 about two thirds of that; 4:4:4 mean 0.2, worst under 1.
        var (mean, p99, _) = PlanesAgainstRgb(decoder, jpeg, 96);
        Assert.That(mean, Is.LessThan(1.0), $"{downsample} reduced");
        Assert.That(p99, Is.LessThan(12), $"{downsample} reduced");
    }

    /// <summary>Mean, 99th and 99.9th percentile of |planes path - RGB path| in 0..255 levels at a square input of <paramref name="size"/>.</summary>
    private static (double Mean, float P99, float P999) PlanesAgainstRgb(TurboJpegImageDecoder decoder, byte[] jpeg, int size)
    {
        var preprocessor = new TensorPreprocessor(new ModelInputSpec { Width = size, Height = size, Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1] }) { PreferYuvPlanes = true };
        var viaPlanes = new float[preprocessor.ElementsPerImage];
        preprocessor.WriteEncoded(decoder, jpeg, viaPlanes);
        using var rgb = decoder.Decode(jpeg, size, size);
        var viaRgb = new float[preprocessor.ElementsPerImage];
        preprocessor.Write(rgb, viaRgb);
        var differences = viaPlanes.Zip(viaRgb, (a, b) => Math.Abs(a - b)).Order().ToArray();
        TestContext.Out.WriteLine($"{rgb.Width}x{rgb.Height} -> {size}: mean {differences.Average():0.000}, p99 {differences[(int)(differences.Length * 0.99)]:0.00}, p99.9 {differences[(int)(differences.Length * 0.999)]:0.00}, max {differences[^1]:0.00}");
        return (differences.Average(), differences[(int)(differences.Length * 0.99)], differences[(int)(differences.Length * 0.999)]);
    }

    [Test]
    public void WriteEncoded_TurboJpegWithExifOrientation_TakesTheRgbPathAndTurns()
    {
        RequireTurbo();
        var jpeg = TestImages.WithJpegOrientation(TestImages.Quadrants(64, 32, SKEncodedImageFormat.Jpeg), 6);
        var decoder = new TurboJpegImageDecoder();
        Assert.That(decoder.TryDecodeYuv(jpeg, 16, 16), Is.Null);

        var preprocessor = new TensorPreprocessor(new ModelInputSpec { Width = 16, Height = 16 }) { PreferYuvPlanes = true };
        var tensor = new float[preprocessor.ElementsPerImage];
        var geometry = preprocessor.WriteEncoded(decoder, jpeg, tensor);
        using var turned = decoder.Decode(jpeg, 16, 16);
        var expected = new float[tensor.Length];
        preprocessor.Write(turned, expected);

        Assert.That((geometry.ImageWidth, geometry.ImageHeight), Is.EqualTo((32, 64)));
        Assert.That(tensor, Is.EqualTo(expected));
    }

    [Test]
    public void TryDecodeYuv_GivesThePlanesOfTheScaledDecode()
    {
        RequireTurbo();
        var jpeg = TestImages.Quadrants(800, 400, SKEncodedImageFormat.Jpeg);
        using var planes = new TurboJpegImageDecoder().TryDecodeYuv(jpeg, 64, 64);

        Assert.That(planes, Is.Not.Null);
        Assert.That((planes!.Width, planes.Height, planes.SourceWidth, planes.SourceHeight), Is.EqualTo((100, 100, 800, 400)).Or.EqualTo((200, 100, 800, 400)));
        // Top-left quadrant is red: Y about 76, Cr well above 128, Cb below.
        Assert.That(planes.Luma[10 * planes.LumaStride + 10], Is.InRange(66, 86));
        Assert.That(planes.Cr[2 * planes.ChromaStride + 2], Is.GreaterThan(200));
        Assert.That(planes.Cb[2 * planes.ChromaStride + 2], Is.LessThan(110));
    }

    [Test]
    public void TryDecodeYuv_DamagedOrHugeJpegs_FailAsDecodeDoes()
    {
        RequireTurbo();
        var decoder = new TurboJpegImageDecoder(maxPixels: 1000);
        var jpeg = TestImages.Quadrants(64, 64, SKEncodedImageFormat.Jpeg);
        Assert.Throws<ImageTooLargeException>(() => decoder.TryDecodeYuv(jpeg, 16, 16));

        var truncated = jpeg[..(jpeg.Length / 3)];
        Assert.Throws<InvalidImageFormatException>(() => new TurboJpegImageDecoder().TryDecodeYuv(truncated, 16, 16)?.Dispose());
        Assert.That(new TurboJpegImageDecoder().TryDecodeYuv(TestImages.Quadrants(8, 8, SKEncodedImageFormat.Png), 4, 4), Is.Null);

        // The thread's handle still decodes afterwards.
        using var planes = new TurboJpegImageDecoder().TryDecodeYuv(jpeg, 16, 16);
        Assert.That(planes, Is.Not.Null);
    }

    [Test]
    public void WriteYuv_SteadyState_AllocatesNothing()
    {
        var preprocessor = new TensorPreprocessor(new ModelInputSpec { Resize = ResizeMode.Letterbox });
        using var image = RandomPlanes(new Random(5), 480, 270, 1, 1);
        var tensor = new float[preprocessor.ElementsPerImage];
        preprocessor.Write(image, tensor);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5; i++)
        {
            preprocessor.Write(image, tensor);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private static YuvImage RandomPlanes(Random random, int width, int height, int shiftX, int shiftY)
    {
        var image = new YuvImage(width, height, width, height, shiftX, shiftY);
        random.NextBytes(image.Luma);
        random.NextBytes(image.Cb);
        random.NextBytes(image.Cr);
        return image;
    }

    internal static void RequireTurbo()
    {
        if (!TurboJpegImageDecoder.IsAvailable)
        {
            Assert.Fail("No libturbojpeg on this machine: install it (Debian/Ubuntu: apt-get install libturbojpeg0).");
        }
    }

    private static IEnumerable<string> Photos() =>
        Directory.EnumerateFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../../../shared/data/hymenoptera"), "*.jpg", SearchOption.AllDirectories)
            .OrderBy(p => p, StringComparer.Ordinal);
}
