using Rekognition.Core.Models;
using Rekognition.Training.Detection;

namespace Rekognition.Training.Tests.Detection;

/// <summary>
/// A YOLOv5 export as the detection backbone, on small graphs of the real layout with random weights (<see cref="UltralyticsGraphs"/>):
/// its head found by structure, its anchors read from its own decoding, its box and objectness rows kept, its class rows restarted.
/// </summary>
public class YoloV5DetectorTests
{
    private static readonly string[] DetectorClasses = { "person", "circle", "car", "square" };
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("rekognition-yolov5-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    // YOLOv5's COCO anchors scaled from its 640 input to the small one, so they fit the generated shapes.
    private static (float Width, float Height)[][] Anchors(int size) =>
        UltralyticsGraphs.YoloV5Anchors.Select(level => level.Select(a => (a.Width * size / 640f * 2f, a.Height * size / 640f * 2f)).ToArray()).ToArray();

    [Test]
    public void TheHeadAndItsAnchorsAreFound_AndTheNewNetworkDecodesAsTheExportDid()
    {
        const int size = 96;
        var path = Path.Combine(_directory, "yolov5.onnx");
        var original = UltralyticsGraphs.Write(path, UltralyticsGraphs.YoloV5(size, DetectorClasses, Anchors(size)));
        var labels = new[] { "Square", "triangle", "person" };

        var network = PretrainedDetector.Build(path, labels);

        Assert.That(network.RegMax, Is.Zero, "box values and objectness, as YOLOX's rows");
        Assert.That(network.ClassRows, Is.EqualTo(new[] { 3, -1, 0 }));
        Assert.That(network.Grid.AnchorsPerCell, Is.EqualTo(3));
        var anchors = network.Grid.Anchors!.SelectMany(level => level.SelectMany(a => new[] { a.Width, a.Height }));
        Assert.That(anchors, Is.EqualTo(Anchors(size).SelectMany(level => level.SelectMany(a => new[] { a.Width, a.Height }))).Within(1e-3f),
            "the anchors read back from the export's decoding");
        Assert.That((network.Input.Bgr, network.Input.LetterboxTopLeft, network.Input.Scale), Is.EqualTo((false, false, 1f / 255f)));
        // The 3 prediction convolutions, the last 2 stages' one convolution each, a new class convolution per level and anchor.
        Assert.That(network.Trainable, Has.Count.EqualTo((3 * 2) + (2 * 2) + (9 * 2)));

        var random = new Random(7);
        var image = Enumerable.Range(0, 3 * size * size).Select(_ => random.NextSingle()).ToArray();
        var expected = YoloV8DetectorTests.Run(original, image, size, 0);
        var decoded = DetectorExport.AppendDecoding(network.Model.Clone(), network.Grid, labels.Length);
        var scores = YoloV8DetectorTests.Run(decoded, image, size, 0);
        var boxes = YoloV8DetectorTests.Run(decoded, image, size, 1);
        var width = 5 + DetectorClasses.Length;
        Assert.That(expected, Has.Length.EqualTo(network.Grid.Count * width));
        for (var a = 0; a < network.Grid.Count; a++)
        {
            var row = expected.AsSpan(a * width, width);
            var (x1, y1, x2, y2) = (boxes[4 * a] * size, boxes[(4 * a) + 1] * size, boxes[(4 * a) + 2] * size, boxes[(4 * a) + 3] * size);
            Assert.That(new[] { (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1 }, Is.EqualTo(row[..4].ToArray()).Within(1e-3f), $"box {a}");
            Assert.That(scores[3 * a], Is.EqualTo(row[4] * row[5 + 3]).Within(1e-5f), $"square at {a}");
            Assert.That(scores[(3 * a) + 2], Is.EqualTo(row[4] * row[5]).Within(1e-5f), $"person at {a}");
        }
    }

    [Test]
    public async Task FineTuningLowersTheLoss_AndTheExportedModelDetectsThroughTheInferencePath()
    {
        const int size = 96;
        var path = Path.Combine(_directory, "yolov5.onnx");
        UltralyticsGraphs.Write(path, UltralyticsGraphs.YoloV5(size, DetectorClasses, Anchors(size)));

        var (losses, package, map) = await YoloV8DetectorTests.FineTuneAndScore(_directory, path, size);

        Assert.That(losses[^1], Is.LessThan(losses[0] * 0.8f), "fine-tuning lowers the loss");
        Assert.That(package.Metadata.Training["pretrainedClassRows"], Is.EqualTo("2"));
        Assert.That(package.Metadata.Output.Format, Is.EqualTo(OutputFormat.BoxesAndScores));
        Assert.That(map, Is.GreaterThan(0.2), "the exported model finds shapes in images it did not train on");
    }
}
