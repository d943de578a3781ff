using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rekognition.Core.Evaluation;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Detection;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Detection;
using Rekognition.Training.Graphs;
using Rekognition.Training.Runtime;
using Rekognition.Training.Trainers;
using EvalBox = Rekognition.Core.Evaluation.PixelBox;

namespace Rekognition.Training.Tests.Detection;

/// <summary>
/// A YOLOv8 export as the detection backbone, on small graphs of the real layout with random weights (<see cref="UltralyticsGraphs"/>):
/// its head found by structure, its box branch kept, its class branch restarted for the dataset's labels.
/// </summary>
public class YoloV8DetectorTests
{
    private static readonly string[] DetectorClasses = { "person", "circle", "car", "square" };
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("rekognition-yolov8-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    internal static float[] Run(ModelProto model, float[] image, int size, int output)
    {
        using var session = new InferenceSession(model.ToByteArray());
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(UltralyticsGraphs.Input, new DenseTensor<float>(image, new[] { 1, 3, size, size })) });
        return results.Single(r => r.Name == session.OutputMetadata.Keys.ElementAt(output)).AsTensor<float>().ToArray();
    }

    [TestCase(false)]
    [TestCase(true)]
    public void TheHeadIsFoundByStructure_AndTheNewNetworkDecodesAsTheExportDid(bool nameless)
    {
        var variant = nameless ? UltralyticsGraphs.Variant.Nameless : UltralyticsGraphs.Variant.Real;
        const int size = 96;
        var path = Path.Combine(_directory, "yolov8.onnx");
        var original = UltralyticsGraphs.Write(path, UltralyticsGraphs.YoloV8(size, DetectorClasses, variant: variant));
        var labels = new[] { "Square", "triangle", "person" };

        var network = PretrainedDetector.Build(path, labels);

        Assert.That(network.RegMax, Is.EqualTo(16));
        Assert.That(network.ClassRows, Is.EqualTo(new[] { 3, -1, 0 }), "names from the export's metadata, compared without case; a new label starts fresh");
        Assert.That((network.Input.Name, network.Input.Width, network.Input.Bgr, network.Input.LetterboxTopLeft, network.Input.Scale),
            Is.EqualTo((UltralyticsGraphs.Input, size, false, false, 1f / 255f)), "Ultralytics' preprocessing: RGB on 0-1, letterboxed in the centre");
        Assert.That(network.Model.Graph.Node.Any(n => n.OpType is "Softmax" or "Split"), Is.False, "the DFL decoding is cut off and the C2f split became slices");
        // Per level the head's 4 box and 2 class-branch convolutions (the old 1x1 class convolution is replaced), the last 2 stages' one convolution each, the 3 new class convolutions.
        Assert.That(network.Trainable, Has.Count.EqualTo((3 * 5 * 2) + (2 * 2) + (3 * 2)));
        Assert.That(network.Trainable, Has.Some.EqualTo("det.cls2.bias"));

        // The original export and the new network's rows decoded by the trained model's export: the same boxes and, for the mapped labels, the same scores.
        var random = new Random(7);
        var image = Enumerable.Range(0, 3 * size * size).Select(_ => random.NextSingle()).ToArray();
        var expected = Run(original, image, size, 0);
        var decoded = DetectorExport.AppendDecoding(network.Model.Clone(), network.Grid, labels.Length, network.RegMax);
        var scores = Run(decoded, image, size, 0);
        var boxes = Run(decoded, image, size, 1);
        var anchors = network.Grid.Count;
        Assert.That(expected, Has.Length.EqualTo((4 + DetectorClasses.Length) * anchors));
        for (var a = 0; a < anchors; a++)
        {
            var (x1, y1, x2, y2) = (boxes[4 * a] * size, boxes[(4 * a) + 1] * size, boxes[(4 * a) + 2] * size, boxes[(4 * a) + 3] * size);
            Assert.That(new[] { (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1 },
                Is.EqualTo(new[] { expected[a], expected[anchors + a], expected[(2 * anchors) + a], expected[(3 * anchors) + a] }).Within(1e-3f), $"box {a}");
            Assert.That(scores[3 * a], Is.EqualTo(expected[((4 + 3) * anchors) + a]).Within(1e-5f), $"square at {a}");
            Assert.That(scores[(3 * a) + 2], Is.EqualTo(expected[(4 * anchors) + a]).Within(1e-5f), $"person at {a}");
            Assert.That(scores[(3 * a) + 1], Is.LessThan(0.05f), "a fresh class starts near the prior probability");
        }
    }

    [Test]
    public void MoreLabelsThanTheClassBranch_TrainAStepThroughTheHeadAndEveryStage()
    {
        const int size = 64;
        var path = Path.Combine(_directory, "yolov8.onnx");
        UltralyticsGraphs.Write(path, UltralyticsGraphs.YoloV8(size, DetectorClasses));
        var labels = Enumerable.Range(0, 12).Select(i => $"part {i}").ToList();
        var network = PretrainedDetector.Build(path, labels, new PretrainedDetectorOptions { TrainedStages = 100 });
        Assert.That(network.ClassRows, Has.All.EqualTo(-1));

        var loss = new DflDetectionLoss(network.Grid, labels.Count, network.RegMax);
        var graph = TrainingGraphBuilder.Build(network.Model, network.Trainable, DetectorNetwork.RawOutput, loss,
            new Dictionary<string, long[]> { [network.Input.Name] = new long[] { 2, 3, size, size } });
        using var session = new TrainingGraphSession(graph, threads: 2);
        var random = new Random(1);
        var image = session.Input(network.Input.Name);
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = random.NextSingle();
        }

        // One object, label 11, learned at location 5 of the second image: its box around that location's anchor point (20, 4).
        var location = network.Grid.Count + 5;
        session.Input(DetectionLoss.PositiveInput)[location] = 1f;
        var boxes = session.Input(DetectionLoss.BoxesInput);
        (boxes[4 * location], boxes[(4 * location) + 1], boxes[(4 * location) + 2], boxes[(4 * location) + 3]) = (10f, 0f, 40f, 20f);
        session.Input(DetectionLoss.ClassesInput)[(location * labels.Count) + 11] = 1f;
        session.Input(DetectionLoss.NormalizerInput)[0] = 1f;
        var value = session.Run();

        Assert.That(float.IsFinite(value) && value > 0, Is.True, $"loss {value}");
        var gradients = graph.Parameters.Select((p, i) => (p.Name, Any: session.Gradient(i).Any(g => g != 0))).ToDictionary(p => p.Name, p => p.Any);
        Assert.That(graph.Parameters, Has.Count.EqualTo(network.Trainable.Count));
        Assert.That(gradients["det.cls0.weight"], Is.True, "the new class rows learn");
        var stem = network.Model.Graph.Node.First(n => n.OpType == "Conv").Input[1];
        var c2f = network.Model.Graph.Node.Where(n => n.OpType == "Conv" && n.Name.StartsWith("/model.2/", StringComparison.Ordinal)).Select(n => n.Input[1]).ToList();
        Assert.That(c2f, Has.Count.EqualTo(3));
        Assert.That(c2f.Append(stem).Select(w => gradients[w]), Has.All.True, "every stage learns, through the C2f block's split and the first convolution");
    }

    [Test]
    public void ABackboneWithoutTheHeadsOutputs_FailsSayingWhatWasExpected()
    {
        var path = Path.Combine(_directory, "not-quite-yolov8.onnx");
        UltralyticsGraphs.Write(path, UltralyticsGraphs.YoloV8(64, DetectorClasses, variant: UltralyticsGraphs.Variant.NoClassConvolution));
        var message = Assert.Throws<NotSupportedException>(() => PretrainedDetector.Build(path, new[] { "a" }))!.Message;
        Assert.That(message, Does.Contain("its head outputs were not found").And.Contain("YOLOv8 detector export").And.Contain("1x1 class convolution"));
        Assert.That(message, Does.Not.Contain(_directory), "no machine path in a message a caller may see");

        var classifier = Assert.Throws<NotSupportedException>(() => PretrainedDetector.Build(SharedData.MobileNetV2Int8, new[] { "a" }))!.Message;
        Assert.That(classifier, Does.Contain("is not a detector").And.Contain("YOLOv8").And.Contain("YOLOv5").And.Contain("Rekognition:Training:Backbone"));
    }

    [Test]
    public async Task FineTuningLowersTheLoss_AndTheExportedModelDetectsThroughTheInferencePath()
    {
        const int size = 96;
        var path = Path.Combine(_directory, "yolov8.onnx");
        UltralyticsGraphs.Write(path, UltralyticsGraphs.YoloV8(size, DetectorClasses));

        var (losses, package, map) = await FineTuneAndScore(_directory, path, size);

        Assert.That(losses[^1], Is.LessThan(losses[0] * 0.8f), "fine-tuning lowers the loss");
        Assert.That(package.Metadata.Training["pretrainedClassRows"], Is.EqualTo("2"), "circle and square are two of the detector's classes");
        Assert.That(package.Metadata.Output.Format, Is.EqualTo(OutputFormat.BoxesAndScores));
        Assert.That(map, Is.GreaterThan(0.2), "the exported model finds shapes in images it did not train on");
    }

    /// <summary>
    /// Fine-tunes the detector at <paramref name="detectorPath"/> (every stage, 40 epochs) on 48 generated shape images and scores
    /// the exported package, loaded by the inference path, on 24 others: the epoch losses, the package and its mAP@0.5.
    /// </summary>
    internal static async Task<(List<float> Losses, ModelPackage Package, double Map)> FineTuneAndScore(string directory, string detectorPath, int size)
    {
        var train = DetectionImages.Write(Directory.CreateDirectory(Path.Combine(directory, "train")).FullName, 48, size, seed: 1);
        var job = new TrainingJob(ModelKind.Detection, DetectionImages.Labels, train, Array.Empty<TrainingImage>(), Path.Combine(directory, "model"), detectorPath);
        var losses = new List<float>();
        // The fine-tuned weights alone (FineTunedWeight 1): the "pretrained" graph has random weights, nothing worth mixing back in.
        var trainer = new ObjectDetectorTrainer(new ObjectDetectorTrainerOptions
        {
            FineTune = new PretrainedDetectorOptions { Epochs = 40, LearningRate = 1e-2f, TrainedStages = 100, EmaDecay = 0, FineTunedWeight = 1 },
            BatchSize = 8, CheckpointEveryEpochs = 0,
        });

        var package = await trainer.TrainAsync(job, new SyncProgress(p => losses.Add(p.Loss)), CancellationToken.None);

        using var detector = OnnxDetector.Load(package.Directory);
        var test = DetectionImages.Write(Directory.CreateDirectory(Path.Combine(directory, "test")).FullName, 24, size, seed: 2);
        var images = test.Select(image =>
        {
            var found = detector.Detect(File.ReadAllBytes(image.Path), minConfidence: 0);
            return new EvaluationImage
            {
                SourceRef = image.Path, Width = size, Height = size,
                GroundTruthObjects = image.Boxes.Select(b => new GroundTruthObject(b.Label, EvalBox.FromRatios(b.Box.Left, b.Box.Top, b.Box.Width, b.Box.Height, size, size))).ToArray(),
                Predictions = found.Select(d => new PredictedLabel(Array.IndexOf(DetectionImages.Labels, d.Name), d.Confidence / 100f,
                    EvalBox.FromRatios(d.Box!.Value.Left, d.Box.Value.Top, d.Box.Value.Width, d.Box.Value.Height, size, size))).ToArray(),
            };
        }).ToList();
        var evaluation = ModelEvaluator.Evaluate(new EvaluationInput { TaskType = EvaluationTaskType.ObjectDetection, Labels = DetectionImages.Labels, Images = images });
        var map = evaluation.Aggregate.AveragePrecision ?? 0;
        TestContext.Out.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"epoch losses {string.Join(", ", losses.Select(l => l.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)))}; held-out mAP@0.5 {map:0.000}, {package.Metadata.Training["seconds"]} s"));
        return (losses, package, map);
    }
}
