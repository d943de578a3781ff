using Rekognition.Training.Data;

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
}
