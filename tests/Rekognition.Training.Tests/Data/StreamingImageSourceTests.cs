using Rekognition.Core.Models;
using Rekognition.Imaging.Preprocessing;
using Rekognition.Training.Data;
using SkiaSharp;

namespace Rekognition.Training.Tests.Data;

public class StreamingImageSourceTests
{
    private string _directory = "";

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("rek-stream-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private static ModelInputSpec Spec(int size = 16, TensorLayout layout = TensorLayout.NCHW) => new()
    {
        Name = "x", Width = size, Height = size, Layout = layout, Resize = ResizeMode.Stretch, Scale = 1f / 255f,
        Mean = new[] { 0.485f, 0.456f, 0.406f }, Std = new[] { 0.229f, 0.224f, 0.225f },
    };

    /// <summary>PNGs whose left half is red and right half blue, with a green square whose place depends on the index.</summary>
    private List<string> Images(int count, int width = 40, int height = 30)
    {
        var paths = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var bitmap = new SKBitmap(width, height);
            using (var canvas = new SKCanvas(bitmap))
            {
                using var paint = new SKPaint();
                paint.Color = new SKColor(220, 30, 30);
                canvas.DrawRect(0, 0, width / 2f, height, paint);
                paint.Color = new SKColor(30, 30, 220);
                canvas.DrawRect(width / 2f, 0, width / 2f, height, paint);
                paint.Color = new SKColor(30, 200, 30);
                canvas.DrawRect(i % (width - 8), i % (height - 8), 8, 8, paint);
            }

            var path = Path.Combine(_directory, $"img{i}.png");
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(path, data.ToArray());
            paths.Add(path);
        }

        return paths;
    }

    private static float[] Write(ISampleSource source, int index, bool augment, int seed)
    {
        var tensor = new float[source.SampleShape.Aggregate(1, (p, d) => p * d)];
        source.Write(index, tensor, augment, new Random(seed));
        return tensor;
    }

    [Test]
    public void WithoutAugmentation_WritesWhatInferencePreprocessingWrites()
    {
        var paths = Images(3);
        var source = new StreamingImageSource(paths, Spec());
        var preprocessor = new TensorPreprocessor(Spec());
        var expected = new float[preprocessor.ElementsPerImage];
        using (var image = new Imaging.Decoding.SkiaImageDecoder().Decode(File.ReadAllBytes(paths[1])))
        {
            preprocessor.Write(image, expected);
        }

        Assert.That(source.SampleShape, Is.EqualTo(new[] { 3, 16, 16 }));
        Assert.That(Write(source, 1, augment: false, seed: 0), Is.EqualTo(expected).Within(1e-5f));
        Assert.That(Write(source, 1, augment: false, seed: 0), Is.EqualTo(expected).Within(1e-5f), "again, from the cache");
    }

    [Test]
    public void Augmentation_IsDeterministicForAGeneratorStateAndVariesBetweenStates()
    {
        var paths = Images(2);
        var cached = new StreamingImageSource(paths, Spec());
        var uncached = new StreamingImageSource(paths, Spec(), cacheBytes: 0);
        var first = Write(cached, 0, augment: true, seed: 4);

        Assert.That(Write(cached, 0, augment: true, seed: 4), Is.EqualTo(first));
        Assert.That(Write(uncached, 0, augment: true, seed: 4), Is.EqualTo(first), "the cache does not change what is written");
        Assert.That(Write(cached, 0, augment: true, seed: 5), Is.Not.EqualTo(first));
        Assert.That(uncached.CachedBytes, Is.EqualTo(0));
    }

    [Test]
    public void Flip_MirrorsTheImage()
    {
        var paths = Images(1);
        var flipOnly = new ImageAugmentation { MinScale = 1f, MinRatio = 1f, MaxRatio = 1f, FlipProbability = 1f, Brightness = 0, Contrast = 0, Saturation = 0 };
        foreach (var layout in new[] { TensorLayout.NCHW, TensorLayout.NHWC })
        {
            var plain = Write(new StreamingImageSource(paths, Spec(layout: layout)), 0, augment: false, seed: 1);
            var flipped = Write(new StreamingImageSource(paths, Spec(layout: layout), flipOnly), 0, augment: true, seed: 1);
            for (var y = 0; y < 16; y++)
            {
                for (var x = 0; x < 16; x++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        int At(int xx) => layout == TensorLayout.NCHW ? (c * 256) + (y * 16) + xx : (((y * 16) + xx) * 3) + c;
                        Assert.That(flipped[At(x)], Is.EqualTo(plain[At(15 - x)]).Within(1e-5f), $"{layout} ({x}, {y}) channel {c}");
                    }
                }
            }
        }
    }

    [Test]
    public void ColourJitter_StaysInTheColourRangeAndChangesColours()
    {
        var paths = Images(1);
        var jitterOnly = new ImageAugmentation { MinScale = 1f, MinRatio = 1f, MaxRatio = 1f, FlipProbability = 0f, Brightness = 0.5f, Contrast = 0.5f, Saturation = 0.5f };
        var plain = Write(new StreamingImageSource(paths, Spec()), 0, augment: false, seed: 1);
        var source = new StreamingImageSource(paths, Spec(), jitterOnly);
        var spec = Spec();
        for (var seed = 0; seed < 8; seed++)
        {
            var jittered = Write(source, 0, augment: true, seed);
            Assert.That(jittered, Is.Not.EqualTo(plain).Within(1e-3f));
            for (var c = 0; c < 3; c++)
            {
                var (low, high) = (-spec.Mean[c] / spec.Std[c], (1 - spec.Mean[c]) / spec.Std[c]);
                Assert.That(jittered.AsSpan(c * 256, 256).ToArray(), Has.All.InRange(low - 1e-4f, high + 1e-4f), $"channel {c}");
            }
        }
    }

    [Test]
    public void RandomResizedCrop_KeepsPartOfTheImage()
    {
        var paths = Images(1, 64, 64);
        var cropOnly = new ImageAugmentation { MinScale = 0.25f, MaxScale = 0.25f, FlipProbability = 0f, Brightness = 0, Contrast = 0, Saturation = 0 };
        var source = new StreamingImageSource(paths, Spec(), cropOnly);
        var crops = Enumerable.Range(0, 6).Select(seed => Write(source, 0, augment: true, seed)).ToList();
        var plain = Write(source, 0, augment: false, seed: 0);
        Assert.That(crops, Has.All.Not.EqualTo(plain));
        Assert.That(crops.Distinct(new SequenceComparer()).Count(), Is.GreaterThan(1), "crops fall in different places");
    }

    [Test]
    public void Cache_HoldsNoMoreThanItsBudget()
    {
        var paths = Images(12);
        var perImage = 40 * 30 * 4; // PNGs decode at full size
        var budget = (5 * perImage) + 10;
        var parallel = new StreamingImageSource(paths, Spec(), cacheBytes: budget);
        Parallel.For(0, 3, _ =>
        {
            for (var i = 0; i < paths.Count; i++)
            {
                Write(parallel, i, augment: true, seed: i);
            }
        });
        Assert.That(parallel.CachedBytes, Is.LessThanOrEqualTo(budget));

        var sequential = new StreamingImageSource(paths, Spec(), cacheBytes: budget);
        for (var i = 0; i < paths.Count; i++)
        {
            Write(sequential, i, augment: false, seed: 0);
        }

        Assert.That(sequential.CachedBytes, Is.EqualTo(5 * perImage));
    }

    [Test]
    public void InvalidAugmentationRanges_AreRefused() =>
        Assert.Throws<ArgumentException>(() => new StreamingImageSource(Array.Empty<string>(), Spec(), new ImageAugmentation { MinScale = 0.9f, MaxScale = 0.5f }));

    private sealed class SequenceComparer : IEqualityComparer<float[]>
    {
        public bool Equals(float[]? x, float[]? y) => x!.AsSpan().SequenceEqual(y);

        public int GetHashCode(float[] obj) => obj.Length == 0 ? 0 : HashCode.Combine(obj[0], obj[^1], obj[obj.Length / 2]);
    }
}
