using System.Globalization;
using System.Text.RegularExpressions;
using Rekognition.Core.Conversion;
using Rekognition.Core.Evaluation;
using Rekognition.Core.Images;
using Rekognition.Core.Inference;
using Rekognition.Core.Manifests;
using Rekognition.Core.Training;

namespace Rekognition.Benchmarks.Detection;

/// <summary>
/// Reads shared/data/coco128: class names from dataset.yaml, boxes from the YOLO label files (class, centre and size as
/// ratios; no crowd regions, no segmentation areas), or from COCO's own instances JSON of train2017.
/// </summary>
internal static partial class Coco128
{
    /// <summary>The 80 class names in class-id order.</summary>
    public static List<string> Names(string coco) =>
        File.ReadLines(Path.Combine(coco, "dataset.yaml")).Select(l => NameLine().Match(l)).Where(m => m.Success)
            .OrderBy(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Select(m => m.Groups[2].Value.Trim()).ToList();

    /// <summary>The photos of a split (train2017 or val2017), in name order.</summary>
    public static string[] Images(string coco, string split) =>
        Directory.GetFiles(Path.Combine(coco, "images", split), "*.jpg").Order(StringComparer.Ordinal).ToArray();

    /// <summary>An image's boxes as (class id, ratios: left, top, width, height); none when it has no label file.</summary>
    public static List<(int Label, NormalizedBox Box)> Boxes(string coco, string split, string image)
    {
        var labels = Path.Combine(coco, "labels", split, Path.GetFileNameWithoutExtension(image) + ".txt");
        return File.Exists(labels)
            ? File.ReadLines(labels).Where(l => l.Length > 0).Select(l =>
            {
                var v = l.Split(' ').Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                return ((int)v[0], new NormalizedBox(v[1] - (v[3] / 2), v[2] - (v[4] / 2), v[3], v[4]));
            }).ToList()
            : new List<(int, NormalizedBox)>();
    }

    /// <summary>An image's boxes in its pixels, for the evaluator.</summary>
    public static GroundTruthObject[] Objects(string coco, string split, string image)
    {
        var info = ImageHeaderProbe.Probe(File.ReadAllBytes(image));
        return Boxes(coco, split, image).Select(b => new GroundTruthObject(b.Label, PixelBox.FromRatios(b.Box.Left, b.Box.Top, b.Box.Width, b.Box.Height, info.Width, info.Height))).ToArray();
    }

    /// <summary>
    /// The train2017 photos with COCO's own annotations (crowd flags and segmentation areas kept), read the way a user's
    /// COCO file reaches the evaluator: COCO converter, manifest line, parser, <see cref="GroundTruthObject.FromAnnotation"/>.
    /// Labels are mapped by name to <paramref name="names"/>.
    /// </summary>
    public static List<DetectionScoring.Truth> CocoAnnotatedTrainImages(string coco, IReadOnlyList<string> names)
    {
        var folder = Path.Combine(coco, "images", "train2017");
        using var manifest = new MemoryStream();
        using (var input = File.OpenRead(Path.Combine(coco, "annotations", "instances_train2017.json")))
        {
            new CocoManifestConverter(new CocoConversionOptions { ImagePrefix = folder }).Convert(input, manifest, "instances_train2017.json");
        }

        var index = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var parser = new GroundTruthLineParser();
        var truths = new List<DetectionScoring.Truth>();
        foreach (var line in System.Text.Encoding.UTF8.GetString(manifest.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parsed = parser.Parse(System.Text.Encoding.UTF8.GetBytes(line), out var problem) ?? throw new InvalidDataException(problem);
            var attribute = parsed.AttributeAt(0);
            var objects = attribute.Annotations.Select(a => GroundTruthObject.FromAnnotation(a, index[attribute.LabelOf(a.ClassId)!])).ToArray();
            truths.Add(new DetectionScoring.Truth(Path.Combine(folder, Path.GetFileName(parsed.SourceRef!)), objects));
        }

        return truths;
    }

    /// <summary>A split's images with boxes as training images (images without boxes left out, as training does).</summary>
    public static List<TrainingImage> TrainingImages(string coco, string split) =>
        Images(coco, split).Select(i => (Path: i, Boxes: Boxes(coco, split, i))).Where(i => i.Boxes.Count > 0)
            .Select(i => new TrainingImage(i.Path, i.Boxes.Select(b => b.Label).Distinct().ToList(), i.Boxes.Select(b => new TrainingBox(b.Label, b.Box)).ToList())).ToList();

    [GeneratedRegex(@"^\s+(\d+):\s*(.+)$")]
    private static partial Regex NameLine();
}
