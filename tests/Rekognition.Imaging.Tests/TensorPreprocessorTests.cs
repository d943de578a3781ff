using Rekognition.Core.Models;
using Rekognition.Imaging.Preprocessing;

namespace Rekognition.Imaging.Tests;

/// <summary>The fast preprocessor (vector and scalar loops) against the straightforward reference, value by value.</summary>
public class TensorPreprocessorTests
{
    private const float Tolerance = 1e-5f;

    private static readonly (int Width, int Height)[] SourceSizes =
    [
        (1, 1), (2, 3), (7, 5), (31, 17), (64, 64), (223, 97), (480, 270), (5, 120), (300, 9),
    ];

    private static readonly (int Width, int Height)[] InputSizes = [(1, 1), (8, 6), (13, 29), (224, 224), (33, 16)];

    public static IEnumerable<TestCaseData> Specs()
    {
        foreach (var interpolation in new[] { ResizeInterpolation.Bilinear, ResizeInterpolation.Area })
        {
            yield return Case("stretch NCHW RGB", new ModelInputSpec { Interpolation = interpolation });
            yield return Case("stretch NHWC BGR", new ModelInputSpec { Interpolation = interpolation, Layout = TensorLayout.NHWC, Bgr = true });
            yield return Case("letterbox centred NCHW", new ModelInputSpec { Interpolation = interpolation, Resize = ResizeMode.Letterbox });
            yield return Case("letterbox top-left NHWC, 0..1, pad 0", new ModelInputSpec
            {
                Interpolation = interpolation, Resize = ResizeMode.Letterbox, LetterboxTopLeft = true, Layout = TensorLayout.NHWC,
                Mean = [0, 0, 0], Std = [1, 1, 1], PadValue = 0,
            });
            yield return Case("letterbox centred BGR, mean/std 0.5, pad 200", new ModelInputSpec
            {
                Interpolation = interpolation, Resize = ResizeMode.Letterbox, Bgr = true, Mean = [0.5f, 0.4f, 0.3f], Std = [0.5f, 0.6f, 0.7f], PadValue = 200,
            });
            yield return Case("centre crop 0.875 NCHW RGB", new ModelInputSpec { Interpolation = interpolation, Resize = ResizeMode.CentreCrop });
            yield return Case("centre crop 0.6 NHWC BGR", new ModelInputSpec { Interpolation = interpolation, Resize = ResizeMode.CentreCrop, CropFraction = 0.6f, Layout = TensorLayout.NHWC, Bgr = true });
            yield return Case("centre crop 1 NCHW", new ModelInputSpec { Interpolation = interpolation, Resize = ResizeMode.CentreCrop, CropFraction = 1f });
        }

        static TestCaseData Case(string name, ModelInputSpec spec) =>
            new TestCaseData(spec).SetArgDisplayNames($"{spec.Interpolation} {name}");
    }

    [TestCaseSource(nameof(Specs))]
    public void Write_MatchesTheReference_ForEverySourceAndInputSize(ModelInputSpec template)
    {
        var random = new Random(1234);
        foreach (var (inputWidth, inputHeight) in InputSizes)
        {
            var spec = WithSize(template, inputWidth, inputHeight);
            var reference = new ReferencePreprocessor(spec);
            var vector = new TensorPreprocessor(spec);
            var scalar = new TensorPreprocessor(spec, allowSimd: false);
            foreach (var (width, height) in SourceSizes)
            {
                // Rows padded past width * 4 with bytes that must never be read into the result.
                var rowBytes = width * 4 + 12;
                var rgba = new byte[rowBytes * height];
                random.NextBytes(rgba);

                var expected = new float[reference.ElementsPerImage];
                var expectedGeometry = reference.Write(rgba, width, height, rowBytes, expected);
                foreach (var (name, preprocessor) in new[] { ("vector", vector), ("scalar", scalar) })
                {
                    var actual = new float[preprocessor.ElementsPerImage];
                    actual.AsSpan().Fill(float.NaN);
                    var geometry = preprocessor.Write(rgba, width, height, rowBytes, actual);

                    Assert.That(geometry, Is.EqualTo(expectedGeometry), $"{name} {width}x{height} -> {inputWidth}x{inputHeight}");
                    AssertClose(actual, expected, $"{name} {width}x{height} -> {inputWidth}x{inputHeight}");
                }
            }
        }
    }

    [Test]
    public void Write_LargeDownscaleOfAFullHdFrame_MatchesTheReference([Values] ResizeInterpolation interpolation)
    {
        const int width = 1920, height = 1080;
        var rgba = new byte[width * height * 4];
        new Random(7).NextBytes(rgba);
        var spec = new ModelInputSpec { Interpolation = interpolation };
        var expected = new float[3 * 224 * 224];
        var actual = new float[expected.Length];

        new ReferencePreprocessor(spec).Write(rgba, width, height, width * 4, expected);
        new TensorPreprocessor(spec).Write(rgba, width, height, width * 4, actual);

        AssertClose(actual, expected, $"{interpolation} 1920x1080 -> 224x224");
    }

    [Test]
    public void Write_AreaDownscale_AveragesWholeBlocks()
    {
        // 4x2 pixels to 2x1: each output pixel is the mean of one 2x2 block.
        byte[] rgba =
        [
            0, 0, 0, 255, 40, 0, 0, 255, 100, 0, 0, 255, 100, 0, 0, 255,
            80, 0, 0, 255, 120, 0, 0, 255, 200, 0, 0, 255, 0, 0, 0, 255,
        ];
        var spec = new ModelInputSpec { Width = 2, Height = 1, Interpolation = ResizeInterpolation.Area, Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1] };
        var tensor = new float[6];

        new TensorPreprocessor(spec).Write(rgba, 4, 2, 16, tensor);

        Assert.That(tensor[0], Is.EqualTo(60f).Within(1e-4));
        Assert.That(tensor[1], Is.EqualTo(100f).Within(1e-4));
    }

    [Test]
    public void Write_UniformImage_GivesTheNormalizedValueEverywhere([Values] TensorLayout layout, [Values] ResizeInterpolation interpolation)
    {
        var spec = new ModelInputSpec { Width = 9, Height = 6, Layout = layout, Interpolation = interpolation };
        var rgba = new byte[37 * 11 * 4];
        for (var i = 0; i < rgba.Length; i += 4)
        {
            (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = ((byte)200, (byte)100, (byte)50, (byte)255);
        }

        var tensor = new float[3 * 9 * 6];
        var geometry = new TensorPreprocessor(spec).Write(rgba, 37, 11, 37 * 4, tensor);

        float[] expected = [(200 / 255f - 0.485f) / 0.229f, (100 / 255f - 0.456f) / 0.224f, (50 / 255f - 0.406f) / 0.225f];
        for (var i = 0; i < tensor.Length; i++)
        {
            var channel = layout == TensorLayout.NCHW ? i / 54 : i % 3;
            Assert.That(tensor[i], Is.EqualTo(expected[channel]).Within(Tolerance), $"element {i}");
        }

        Assert.That(geometry, Is.EqualTo(InputGeometry.Stretch(37, 11, 9, 6)));
    }

    [Test]
    public void Write_Letterbox_PadsAroundTheCentredImageAndReportsItsPlace()
    {
        var spec = new ModelInputSpec { Width = 10, Height = 10, Resize = ResizeMode.Letterbox, PadValue = 0, Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1] };
        var rgba = Enumerable.Repeat((byte)255, 20 * 10 * 4).ToArray();
        var tensor = new float[300];

        var geometry = new TensorPreprocessor(spec).Write(rgba, 20, 10, 80, tensor);

        // 20x10 fits as 10x5, rows 2..6 of 10.
        Assert.That(geometry, Is.EqualTo(new InputGeometry(20, 10, 0.5f, 0.5f, 0, 2)));
        for (var y = 0; y < 10; y++)
        {
            Assert.That(tensor[y * 10 + 4], Is.EqualTo(y is >= 2 and < 7 ? 255f : 0f), $"row {y}");
        }
    }

    [Test]
    public void WriteEncoded_DecodesReducedAndReportsTheGeometryOfTheFullImage()
    {
        var jpeg = TestImages.Quadrants(800, 400, SkiaSharp.SKEncodedImageFormat.Jpeg);
        var spec = new ModelInputSpec { Width = 64, Height = 64, Resize = ResizeMode.Letterbox };
        var preprocessor = new TensorPreprocessor(spec);
        var decoder = new Rekognition.Imaging.Decoding.SkiaImageDecoder();
        var tensor = new float[preprocessor.ElementsPerImage];

        var geometry = preprocessor.WriteEncoded(decoder, jpeg, tensor);

        // 800x400 fits as 64x32 at rows 16..47; decoded at 1/4 (200x100), placed the same.
        Assert.That((geometry.ImageWidth, geometry.ImageHeight, geometry.PadX, geometry.PadY), Is.EqualTo((800, 400, 0f, 16f)));
        Assert.That(geometry.ScaleX, Is.EqualTo(64f / 800).Within(1e-6));
        Assert.That(geometry.ScaleY, Is.EqualTo(32f / 400).Within(1e-6));
        var box = geometry.ToImage(0, 16, 32, 32);
        Assert.That(box, Is.Not.Null);
        Assert.That((box!.Value.Left, box.Value.Top, box.Value.Width, box.Value.Height), Is.EqualTo((0f, 0f, 0.5f, 0.5f)));

        using var reduced = decoder.Decode(jpeg, 64, 64);
        var expected = new float[tensor.Length];
        preprocessor.Write(reduced, expected);
        Assert.That(tensor, Is.EqualTo(expected));
    }

    [Test]
    public void WriteToBatch_WritesOnlyItsSlot()
    {
        var spec = new ModelInputSpec { Width = 4, Height = 4 };
        var preprocessor = new TensorPreprocessor(spec);
        var rgba = new byte[8 * 8 * 4];
        new Random(3).NextBytes(rgba);
        var batch = new float[3 * preprocessor.ElementsPerImage];
        var single = new float[preprocessor.ElementsPerImage];

        preprocessor.WriteToBatch(rgba, 8, 8, 32, batch, 1);
        preprocessor.Write(rgba, 8, 8, 32, single);

        Assert.That(batch.AsSpan(0, preprocessor.ElementsPerImage).ToArray(), Is.All.EqualTo(0f));
        Assert.That(batch.AsSpan(preprocessor.ElementsPerImage, preprocessor.ElementsPerImage).ToArray(), Is.EqualTo(single));
        Assert.That(batch.AsSpan(2 * preprocessor.ElementsPerImage).ToArray(), Is.All.EqualTo(0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => preprocessor.WriteToBatch(rgba, 8, 8, 32, batch, 3));
    }

    [Test]
    public void Write_FromManyThreadsWithChangingSizes_MatchesTheReference()
    {
        // One instance shared by threads that keep replacing its cached plan with another source size.
        var spec = new ModelInputSpec { Width = 32, Height = 24, Resize = ResizeMode.Letterbox };
        var preprocessor = new TensorPreprocessor(spec);
        var reference = new ReferencePreprocessor(spec);
        (int W, int H)[] sizes = [(100, 60), (61, 99), (40, 40)];
        var images = sizes.Select((s, i) =>
        {
            var rgba = new byte[s.W * s.H * 4];
            new Random(i).NextBytes(rgba);
            var expected = new float[reference.ElementsPerImage];
            reference.Write(rgba, s.W, s.H, s.W * 4, expected);
            return (s.W, s.H, rgba, expected);
        }).ToArray();

        var mismatches = 0;
        Parallel.For(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 4 }, n =>
        {
            var (w, h, rgba, expected) = images[n % images.Length];
            var actual = new float[expected.Length];
            preprocessor.Write(rgba, w, h, w * 4, actual);
            for (var i = 0; i < actual.Length; i++)
            {
                if (!(Math.Abs(actual[i] - expected[i]) <= Tolerance))
                {
                    Interlocked.Increment(ref mismatches);
                    return;
                }
            }
        });

        Assert.That(mismatches, Is.Zero);
    }

    [Test]
    public void Write_SteadyState_AllocatesNothing()
    {
        var preprocessor = new TensorPreprocessor(new ModelInputSpec { Resize = ResizeMode.Letterbox });
        var rgba = new byte[640 * 480 * 4];
        var tensor = new float[preprocessor.ElementsPerImage];
        preprocessor.Write(rgba, 640, 480, 640 * 4, tensor);

        // Three windows of five writes: a steady-state allocation shows in each, while the runtime's own one-off work on
        // this thread (a method moving up a compilation tier on a loaded machine) shows in one at most.
        var windows = new long[3];
        for (var w = 0; w < windows.Length; w++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 5; i++)
            {
                preprocessor.Write(rgba, 640, 480, 640 * 4, tensor);
            }

            windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.That(windows.Min(), Is.Zero, $"bytes allocated by each window of five writes: {string.Join(", ", windows)}");
    }

    /// <summary>A copy of <paramref name="t"/> at another input size.</summary>
    internal static ModelInputSpec WithSize(ModelInputSpec t, int width, int height) => new()
    {
        Width = width, Height = height, Layout = t.Layout, Bgr = t.Bgr, Resize = t.Resize, LetterboxTopLeft = t.LetterboxTopLeft,
        PadValue = t.PadValue, Scale = t.Scale, Mean = t.Mean, Std = t.Std, Interpolation = t.Interpolation, CropFraction = t.CropFraction,
    };

    private static void AssertClose(float[] actual, float[] expected, string what)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(actual[i] - expected[i]) <= Tolerance))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]}, the reference {expected[i]}");
            }
        }
    }
}
