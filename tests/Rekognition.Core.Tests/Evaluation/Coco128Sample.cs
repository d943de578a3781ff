using System.Buffers.Binary;
using System.Globalization;
using Rekognition.Core.Evaluation;

namespace Rekognition.Core.Tests.Evaluation;

/// <summary>
/// A few real COCO128 validation images with their YOLO ground truth, and predictions constructed from that truth:
/// shifted boxes, one box per image missed, one spurious box per image.
/// </summary>
internal static class Coco128Sample
{
    public static string? FindDataRoot()
    {
        for (DirectoryInfo? dir = new(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "coco128");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static EvaluationInput Load(string root, int imageCount)
    {
        string[] classNames = File.ReadAllLines(Path.Combine(root, "dataset.yaml"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && char.IsDigit(l[0]) && l.Contains(':'))
            .Select(l => l[(l.IndexOf(':') + 1)..].Trim())
            .ToArray();
        string[] files = Directory.GetFiles(Path.Combine(root, "images", "val2017"), "*.jpg").Order(StringComparer.Ordinal).Take(imageCount).ToArray();

        var labels = new List<string>();
        var images = new List<EvaluationImage>();
        foreach (string file in files)
        {
            (int width, int height) = JpegSize(File.ReadAllBytes(file));
            string labelFile = Path.Combine(root, "labels", "val2017", Path.GetFileNameWithoutExtension(file) + ".txt");
            var truth = new List<GroundTruthObject>();
            foreach (string row in File.Exists(labelFile) ? File.ReadAllLines(labelFile) : [])
            {
                string[] f = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string name = classNames[int.Parse(f[0], CultureInfo.InvariantCulture)];
                int label = labels.IndexOf(name);
                if (label < 0)
                {
                    labels.Add(name);
                    label = labels.Count - 1;
                }

                float cx = float.Parse(f[1], CultureInfo.InvariantCulture), cy = float.Parse(f[2], CultureInfo.InvariantCulture);
                float w = float.Parse(f[3], CultureInfo.InvariantCulture), h = float.Parse(f[4], CultureInfo.InvariantCulture);
                truth.Add(new GroundTruthObject(label, PixelBox.FromRatios(cx - (w / 2), cy - (h / 2), w, h, width, height)));
            }

            var predictions = new List<PredictedLabel>();
            for (int k = 0; k < truth.Count; k++)
            {
                if (k == truth.Count - 1 && truth.Count > 1)
                {
                    continue; // the model misses the last object
                }

                PixelBox b = truth[k].Box;
                float confidence = 0.95f - (0.1f * (k % 7));
                predictions.Add(new PredictedLabel(truth[k].LabelIndex, confidence, b with { Left = b.Left + (b.Width * 0.05f), Top = b.Top + (b.Height * 0.05f) }));
            }

            if (truth.Count > 0)
            {
                // A confident box in the image's corner where nothing is: a false positive.
                predictions.Add(new PredictedLabel(truth[0].LabelIndex, 0.9f, new PixelBox(2, 2, width / 6f, height / 6f)));
            }

            images.Add(new EvaluationImage
            {
                SourceRef = file,
                Width = width,
                Height = height,
                GroundTruthObjects = [.. truth],
                Predictions = [.. predictions],
            });
        }

        return new EvaluationInput { TaskType = EvaluationTaskType.ObjectDetection, Labels = labels, Images = images };
    }

    /// <summary>Reads width and height from the JPEG's start-of-frame segment.</summary>
    public static (int Width, int Height) JpegSize(ReadOnlySpan<byte> jpeg)
    {
        int i = 2;
        while (i + 9 < jpeg.Length)
        {
            if (jpeg[i] != 0xFF)
            {
                i++;
                continue;
            }

            byte marker = jpeg[i + 1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(i + 2)..]);
            bool startOfFrame = marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC);
            if (startOfFrame)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(jpeg[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(jpeg[(i + 5)..]));
            }

            i += 2 + length;
        }

        throw new InvalidDataException("No JPEG start-of-frame segment.");
    }
}
