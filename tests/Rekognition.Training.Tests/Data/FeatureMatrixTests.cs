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
