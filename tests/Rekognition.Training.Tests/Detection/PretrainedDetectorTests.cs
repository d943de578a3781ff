using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Detection;
using Rekognition.Training.Graphs;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Tests.Detection;

/// <summary>A whole YOLOX detector as the detection backbone: its head kept, its class rows mapped to the dataset's labels by name.</summary>
public class PretrainedDetectorTests
{
    private static float[] RunFirstOutput(ModelProto model, string input, float[] data)
    {
        using var session = new InferenceSession(model.ToByteArray());
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(data, new[] { 1, 3, 416, 416 })) });
        return results[0].AsTensor<float>().ToArray();
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    [Test]
    public void MatchingLabelsStartFromTheDetectorsOwnClassRows_SoTheUntrainedNetworkScoresAsYoloXDoes()
    {
        var labels = new[] { "dog", "Person", "circuit board" };
        var (model, trainable, grid, input, rows) = PretrainedDetector.Build(SharedData.YoloXNano, labels);
        Assert.That(rows, Is.EqualTo(new[] { 16, 0, -1 }), "COCO's dog and person (names compared without case); a new label starts fresh");
        Assert.That((input.Name, input.Width, input.Bgr, input.LetterboxTopLeft), Is.EqualTo(("images", 416, true, true)));
        Assert.That(model.Graph.Node.Any(n => n.Name.Contains("cls_preds", StringComparison.Ordinal)), Is.False, "the 80-class rows are replaced");
        Assert.That(trainable, Has.Some.StartsWith("head.reg_preds.0").And.Some.StartsWith("head.obj_preds.2").And.Some.EqualTo("det.cls1.weight"));

        // Same image through YOLOX-Nano and through the new network: identical box rows, objectness and the mapped classes' scores.
        var random = new Random(3);
        var image = new float[3 * 416 * 416];
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = random.Next(256);
        }

        var yolox = RunFirstOutput(OnnxModelFile.Read(SharedData.YoloXNano), "images", image);
        var raw = RunFirstOutput(model, "images", image);
        Assert.That(raw, Has.Length.EqualTo(grid.Count * (5 + labels.Length)));
        for (var row = 0; row < grid.Count; row += 97)
        {
            var y = yolox.AsSpan(row * 85, 85);
            var r = raw.AsSpan(row * 8, 8);
            for (var c = 0; c < 4; c++)
            {
                Assert.That(r[c], Is.EqualTo(y[c]).Within(1e-3f), $"row {row} box column {c}");
            }

            Assert.That(Sigmoid(r[4]), Is.EqualTo(y[4]).Within(1e-4f), $"row {row} objectness");
            Assert.That(Sigmoid(r[5]), Is.EqualTo(y[5 + 16]).Within(1e-4f), $"row {row} dog");
            Assert.That(Sigmoid(r[6]), Is.EqualTo(y[5]).Within(1e-4f), $"row {row} person");
            Assert.That(Sigmoid(r[7]), Is.LessThan(0.05f), "a fresh class starts near the prior probability");
        }
    }

    [Test]
    public void MoreLabelsThanTheDetectorHasClasses_TrainAStepOnTheHeadAndTheLastStages()
    {
        var labels = Enumerable.Range(0, 100).Select(i => $"part {i}").ToList();
        var (model, trainable, grid, input, rows) = PretrainedDetector.Build(SharedData.YoloXNano, labels, new PretrainedDetectorOptions { TrainedStages = 1 });
        Assert.That(rows, Has.All.EqualTo(-1));
        var stage = PretrainedDetector.StagesBeforeHead(OnnxModelFile.Read(SharedData.YoloXNano).Graph)[^1];
        Assert.That(stage, Is.EqualTo("backbone/C3_n4"), "YOLOX's last PAFPN block");
        var lastStage = model.Graph.Node.Where(n => n.OpType == "Conv" && n.Name.StartsWith("/backbone/C3_n4/", StringComparison.Ordinal))
            .SelectMany(n => n.Input.Skip(1)).ToHashSet();
        var head = model.Graph.Node.Where(n => n.OpType == "Conv" && n.Name.StartsWith("/head/", StringComparison.Ordinal)).SelectMany(n => n.Input.Skip(1)).ToHashSet();
        Assert.That(lastStage, Is.Not.Empty);
        Assert.That(trainable.Where(t => !t.StartsWith("det.", StringComparison.Ordinal)), Is.EquivalentTo(lastStage.Union(head)),
            "the head plus exactly the last stage train");

        var graph = TrainingGraphBuilder.Build(model, trainable, DetectorNetwork.RawOutput, new DetectionLoss(grid, labels.Count),
            new Dictionary<string, long[]> { [input.Name] = new long[] { 1, 3, 416, 416 } });
        using var session = new TrainingGraphSession(graph, threads: 2);
        session.Input(input.Name).AsSpan().Fill(100f);
        session.Input(DetectionLoss.PositiveInput)[100] = 1f;
        var boxes = session.Input(DetectionLoss.BoxesInput);
        (boxes[400], boxes[401], boxes[402], boxes[403]) = (400f, 0f, 440f, 30f);
        session.Input(DetectionLoss.ClassesInput)[(100 * labels.Count) + 99] = 1f;
        session.Input(DetectionLoss.NormalizerInput)[0] = 1f;
        var loss = session.Run();
        Assert.That(float.IsFinite(loss) && loss > 0, Is.True, $"loss {loss}");
        var classWeight = graph.Parameters.Select((p, i) => (p.Name, i)).Single(p => p.Name == "det.cls0.weight").i;
        Assert.That(session.Gradient(classWeight).Any(g => g != 0), Is.True, "the new class rows learn");
    }

    [Test]
    public void ABackboneThatIsNotADetector_FailsSayingWhatWasExpected()
    {
        var classifier = Assert.Throws<NotSupportedException>(() => PretrainedDetector.Build(SharedData.MobileNetV2Int8, new[] { "a" }));
        Assert.That(classifier!.Message, Does.Contain("is not a detector").And.Contain("YOLOX").And.Contain("Rekognition:Training:Backbone"));
        Assert.That(classifier.Message, Does.Not.Contain(SharedData.Root), "no machine path in a message a caller may see");
        Assert.Throws<FileNotFoundException>(() => PretrainedDetector.Build("/nowhere/detector.onnx", new[] { "a" }));

        var garbage = Path.Combine(Path.GetTempPath(), $"not-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(garbage, "not an onnx model");
        try
        {
            Assert.That(Assert.Throws<NotSupportedException>(() => PretrainedDetector.Build(garbage, new[] { "a" }))!.Message, Does.Contain("expected a YOLOX"));
        }
        finally
        {
            File.Delete(garbage);
        }
    }
}
