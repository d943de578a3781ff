using Rekognition.Core.Models;
using Rekognition.Training.Backbones;
using Rekognition.Training.Data;
using SkiaSharp;

namespace Rekognition.Training.Tests.Data;

public class FeatureMatrixTests
{
    [TestCase(1L << 20, false)]
    [TestCase(100L, true)]
    public void RowsReadBackAsWritten_InMemoryOrInAFile(long budget, bool onDisk)
    {
        var directory = Directory.CreateTempSubdirectory("rek-features-").FullName;
        try
        {
            var rows = Enumerable.Range(0, 10 * 6).Select(i => i * 0.5f).ToArray();
            using (var matrix = new FeatureMatrix(10, 6, budget, directory))
            {
                Assert.That(matrix.OnDisk, Is.EqualTo(onDisk));
                Assert.That(Directory.GetFiles(directory), Has.Length.EqualTo(onDisk ? 1 : 0));
                matrix.WriteRows(0, rows.AsSpan(0, 30));
                Parallel.For(5, 10, r => rows.AsSpan(r * 6, 6).CopyTo(matrix.Row(r)));
                var slot = new float[6];
                matrix.Write(7, slot, augment: true, new Random(1));
                Assert.That(slot, Is.EqualTo(rows.AsSpan(42, 6).ToArray()));
                Assert.That(Enumerable.Range(0, 10).SelectMany(r => matrix.Row(r).ToArray()), Is.EqualTo(rows));
                var (mean, std) = matrix.ColumnMoments();
                Assert.That(mean[0], Is.EqualTo(Enumerable.Range(0, 10).Average(r => rows[r * 6])).Within(1e-5));
                Assert.That(std[0], Is.GreaterThan(0));
                Assert.That(matrix.SampleShape, Is.EqualTo(new[] { 6, 1, 1 }));
            }

            Assert.That(Directory.GetFiles(directory), Is.Empty, "the file goes with the matrix");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void ExtractingInChunks_GivesTheFeaturesOfOneWholeExtraction()
    {
        var directory = Directory.CreateTempSubdirectory("rek-extract-").FullName;
        try
        {
            var random = new Random(4);
            var paths = Enumerable.Range(0, 7).Select(i =>
            {
                using var bitmap = new SKBitmap(20, 20);
                using (var canvas = new SKCanvas(bitmap))
                {
                    canvas.Clear(new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
                }

                var path = Path.Combine(directory, $"img{i}.png");
                using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                File.WriteAllBytes(path, data.ToArray());
                return path;
            }).ToList();
            var (network, _) = BuiltInNetworks.CompactCnn(3, 16, 5, width: 4, seed: 1);
            var (cut, width) = PooledFeatureCut.Cut(network);
            var spec = new ModelInputSpec
            {
                Name = BuiltInNetworks.Input, Width = 16, Height = 16, Layout = TensorLayout.NCHW, Resize = ResizeMode.Stretch, Scale = 1f / 255f,
                Mean = new[] { 0.5f, 0.5f, 0.5f }, Std = new[] { 0.25f, 0.25f, 0.25f },
            };
            using var extractor = new FeatureExtractor(cut, spec, threads: 1);
            var whole = extractor.Extract(paths, CancellationToken.None);
            using var matrix = FeatureMatrix.Extract(extractor, paths, CancellationToken.None, memoryBudgetBytes: 64, directory: directory, chunk: 3);
            Assert.That(matrix.OnDisk, Is.True);
            Assert.That(matrix.Width, Is.EqualTo(width));
            Assert.That(Enumerable.Range(0, 7).SelectMany(r => matrix.Row(r).ToArray()), Is.EqualTo(whole).Within(1e-5f));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void MirroredCopies_AreTheFeaturesOfTheImagesFlippedLeftToRight_AfterTheOriginals()
    {
        var directory = Directory.CreateTempSubdirectory("rek-mirror-").FullName;
        try
        {
            var random = new Random(9);
            string Write(string name, SKBitmap bitmap)
            {
                var path = Path.Combine(directory, name);
                using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                File.WriteAllBytes(path, data.ToArray());
                return path;
            }

            var originals = new List<string>();
            var flipped = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                // Asymmetric content (a bar near the left edge, random noise), so a flip changes the features.
                using var bitmap = new SKBitmap(24, 20);
                for (var y = 0; y < 20; y++)
                {
                    for (var x = 0; x < 24; x++)
                    {
                        bitmap.SetPixel(x, y, x < 5 ? new SKColor(250, 20, 20) : new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
                    }
                }

                using var mirror = new SKBitmap(24, 20);
                for (var y = 0; y < 20; y++)
                {
                    for (var x = 0; x < 24; x++)
                    {
                        mirror.SetPixel(23 - x, y, bitmap.GetPixel(x, y));
                    }
                }

                originals.Add(Write($"img{i}.png", bitmap));
                flipped.Add(Write($"flip{i}.png", mirror));
            }

            var (network, _) = BuiltInNetworks.CompactCnn(3, 16, 5, width: 4, seed: 1);
            var (cut, width) = PooledFeatureCut.Cut(network);
            var spec = new ModelInputSpec
            {
                Name = BuiltInNetworks.Input, Width = 16, Height = 16, Layout = TensorLayout.NCHW, Resize = ResizeMode.CentreCrop, CropFraction = 0.875f,
                Scale = 1f / 255f, Mean = new[] { 0.5f, 0.5f, 0.5f }, Std = new[] { 0.25f, 0.25f, 0.25f },
            };
            using var extractor = new FeatureExtractor(cut, spec, threads: 1);
            var plain = extractor.Extract(originals, CancellationToken.None);
            var ofFlippedFiles = extractor.Extract(flipped, CancellationToken.None);
            using var matrix = FeatureMatrix.Extract(extractor, originals, CancellationToken.None, chunk: 2, mirroredCopies: true);

            Assert.That(matrix.Count, Is.EqualTo(10));
            Assert.That(Enumerable.Range(0, 5).SelectMany(r => matrix.Row(r).ToArray()), Is.EqualTo(plain).Within(1e-5f));
            Assert.That(Enumerable.Range(5, 5).SelectMany(r => matrix.Row(r).ToArray()), Is.EqualTo(ofFlippedFiles).Within(1e-3f));
            Assert.That(ofFlippedFiles, Is.Not.EqualTo(plain).Within(1e-3f), "the images are not symmetric, so the copies add something");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void RepeatedLabels_FollowTheRowsTheyLabel()
    {
        var classes = new SampleLabels(new[] { 2, 0, 1 }, null, 3).Repeated(2);
        Assert.That(classes.Classes, Is.EqualTo(new[] { 2, 0, 1, 2, 0, 1 }));
        var targets = new SampleLabels(null, new float[] { 1, 0, 0, 1 }, 2).Repeated(2);
        Assert.That(targets.Targets, Is.EqualTo(new float[] { 1, 0, 0, 1, 1, 0, 0, 1 }));
        Assert.That(targets.LabelCount, Is.EqualTo(2));
    }

    [Test]
    public void RowsMayBeShapedAsActivations_AndAnArrayIsWrappedWithoutACopy()
    {
        var directory = Directory.CreateTempSubdirectory("rek-features-").FullName;
        try
        {
            using (var matrix = new FeatureMatrix(4, 12, 16, directory, new[] { 3, 2, 2 }))
            {
                Assert.That(matrix.SampleShape, Is.EqualTo(new[] { 3, 2, 2 }));
            }

            Assert.Throws<ArgumentException>(() => new FeatureMatrix(4, 12, sampleShape: new[] { 3, 2, 3 }));
            var rows = Enumerable.Range(0, 3 * 4).Select(i => (float)i).ToArray();
            using var wrapped = new FeatureMatrix(rows, 4, new[] { 4, 1, 1 });
            Assert.That((wrapped.Count, wrapped.Width, wrapped.OnDisk), Is.EqualTo((3, 4, false)));
            rows[5] = -1f;
            Assert.That(wrapped.Row(1)[1], Is.EqualTo(-1f), "the matrix reads the caller's array");
            Assert.Throws<ArgumentException>(() => new FeatureMatrix(new float[7], 4));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void ActivationsInsideTheBackbone_KeepTheirShapeWhenExtracted()
    {
        var directory = Directory.CreateTempSubdirectory("rek-extract-").FullName;
        try
        {
            var path = Path.Combine(directory, "img.png");
            using (var bitmap = new SKBitmap(20, 20))
            {
                bitmap.Erase(new SKColor(200, 30, 90));
                using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                File.WriteAllBytes(path, data.ToArray());
            }

            var (network, _) = PooledFeatureCut.Cut(BuiltInNetworks.CompactCnn(3, 16, 5, width: 4, seed: 1).Model);
            var (front, _, _, _) = BlockSplit.Split(network, 2);
            var spec = new ModelInputSpec
            {
                Name = BuiltInNetworks.Input, Width = 16, Height = 16, Layout = TensorLayout.NCHW, Resize = ResizeMode.Stretch, Scale = 1f / 255f,
                Mean = new[] { 0.5f, 0.5f, 0.5f }, Std = new[] { 0.25f, 0.25f, 0.25f },
            };
            using var extractor = new FeatureExtractor(front, spec, threads: 1);
            using var matrix = FeatureMatrix.Extract(extractor, new[] { path, path }, CancellationToken.None, memoryBudgetBytes: 64, directory: directory);
            Assert.That(matrix.SampleShape, Is.EqualTo(extractor.SampleShape.Select(d => (int)d)));
            Assert.That(matrix.SampleShape, Has.Count.EqualTo(3));
            Assert.That(matrix.SampleShape.Aggregate(1, (p, d) => p * d), Is.EqualTo(matrix.Width));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
