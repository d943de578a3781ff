using System.Globalization;
using System.Text.RegularExpressions;
using Rekognition.Core.Inference;
using Rekognition.Core.Models;
using Rekognition.Onnx.Detection;
using Rekognition.Onnx.Tests.Support;

namespace Rekognition.Onnx.Tests.Detection;

/// <summary>
/// The object-detection path on a real detector: YOLOX-Nano (COCO, BGR 0-255, letterboxed top-left to 416)
/// on coco128 photos, its boxes mapped back to the photo and compared with the ground truth.
/// </summary>
public partial class YoloXDetectionTests
{
    private static readonly string Coco = Path.Combine(TestData.Root, "coco128");
    private TemporaryDirectory _temp = null!;
    private OnnxDetector _detector = null!;

    [OneTimeSetUp]
    public void Load()
    {
        _temp = new TemporaryDirectory();
        var metadata = new ModelPackageMetadata
        {
            Kind = ModelKind.Detection,
            Labels = CocoNames(),
            Input = new ModelInputSpec
            {
                Name = "images", Width = 416, Height = 416, Bgr = true, Resize = ResizeMode.Letterbox, LetterboxTopLeft = true, PadValue = 114,
                Scale = 1f, Mean = [0f, 0f, 0f], Std = [1f, 1f, 1f],
            },
            Output = new ModelOutputSpec { Format = OutputFormat.YoloX, Scores = "output" },
            DefaultThreshold = 0.4f,
            MinCandidateScore = 0.1f,
        };
        var directory = Path.Combine(_temp.Path, "yolox");
        ModelPackage.Write(directory, Path.Combine(TestData.Models, "yolox_nano_coco_iinfer.onnx"), metadata);
        _detector = OnnxDetector.Load(directory);
    }

    [OneTimeTearDown]
    public void Unload()
    {
        _detector.Dispose();
        _temp.Dispose();
    }

    [Test]
    public void Detect_BearPhoto_FindsTheBearWhereTheGroundTruthHasIt()
    {
        var labels = _detector.Detect(File.ReadAllBytes(Image("000000000285")));
        var truth = GroundTruth("000000000285").Single();

        Assert.That(labels[0].Name, Is.EqualTo("bear"));
        Assert.That(IoU(labels[0].Box!.Value, truth.Box), Is.GreaterThan(0.7f), labels[0].Box!.Value.ToString());
    }

    [Test]
    public void Detect_RoomPhoto_FindsMostGroundTruthClasses_WithBoxesInsideThePhoto()
    {
        var labels = _detector.Detect(File.ReadAllBytes(Image("000000000632")));
        var truth = GroundTruth("000000000632").Select(t => t.Name).ToHashSet();

        Assert.That(labels.Select(l => l.Name).Distinct().Count(truth.Contains), Is.GreaterThanOrEqualTo(truth.Count - 1), string.Join(", ", labels));
        Assert.That(labels.Select(l => l.Box!.Value), Is.All.Matches<NormalizedBox>(b => b.Left >= 0 && b.Top >= 0 && b.Left + b.Width <= 1.0001f && b.Top + b.Height <= 1.0001f));
    }

    private static string Image(string id) => Path.Combine(Coco, "images", "val2017", id + ".jpg");

    private static List<string> CocoNames() =>
        File.ReadLines(Path.Combine(Coco, "dataset.yaml")).Select(l => NameLine().Match(l)).Where(m => m.Success)
            .OrderBy(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Select(m => m.Groups[2].Value.Trim()).ToList();

    private static List<(string Name, NormalizedBox Box)> GroundTruth(string id)
    {
        var names = CocoNames();
        return File.ReadLines(Path.Combine(Coco, "labels", "val2017", id + ".txt")).Where(l => l.Length > 0).Select(l =>
        {
            var v = l.Split(' ').Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            return (names[(int)v[0]], new NormalizedBox(v[1] - v[3] / 2, v[2] - v[4] / 2, v[3], v[4]));
        }).ToList();
    }

    private static float IoU(NormalizedBox a, NormalizedBox b)
    {
        var w = Math.Min(a.Left + a.Width, b.Left + b.Width) - Math.Max(a.Left, b.Left);
        var h = Math.Min(a.Top + a.Height, b.Top + b.Height) - Math.Max(a.Top, b.Top);
        var intersection = Math.Max(0, w) * Math.Max(0, h);
        return intersection / (a.Width * a.Height + b.Width * b.Height - intersection);
    }

    [GeneratedRegex(@"^\s+(\d+):\s*(.+)$")]
    private static partial Regex NameLine();
}
