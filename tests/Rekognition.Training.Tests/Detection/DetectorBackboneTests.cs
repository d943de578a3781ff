using Rekognition.Training.Detection;
using Rekognition.Training.Graphs;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Tests.Detection;

public class DetectorBackboneTests
{
    [Test]
    public void YoloXNanoGivesItsNeckOutputsAndItsOwnPreprocessing()
    {
        var (model, trainable, grid, input) = DetectorNetwork.Build(3, new DetectorBackbone { Path = SharedData.YoloXNano });

        Assert.That(grid.Count, Is.EqualTo((52 * 52) + (26 * 26) + (13 * 13)));
        Assert.That((input.Name, input.Width, input.Bgr, input.Scale, input.LetterboxTopLeft), Is.EqualTo(("images", 416, true, 1f, true)));
        Assert.That(trainable.All(t => t.StartsWith("det.", StringComparison.Ordinal)), Is.True, "a frozen backbone trains only the new layers");
        Assert.That(model.Graph.Node.Any(n => n.Name.Contains("head/", StringComparison.Ordinal)), Is.False, "YOLOX's own head is cut away");
        // The laterals read the three 64/128/256-channel neck outputs.
        var laterals = model.Graph.Initializer.Where(i => i.Name.StartsWith("det.conv", StringComparison.Ordinal) && i.Name.EndsWith(".weight", StringComparison.Ordinal) && i.Dims[2] == 1)
            .Select(i => i.Dims[1]).Take(3).ToList();
        Assert.That(laterals, Is.EquivalentTo(new long[] { 256, 128, 64 }));
    }

    [Test]
    public void Int8MobileNetV2TapsAreDequantizedAndATrainingStepRuns()
    {
        var (model, trainable, grid, input) = DetectorNetwork.Build(2, new DetectorBackbone { Path = SharedData.MobileNetV2Int8 },
            new DetectorNetworkOptions { PyramidWidth = 16 });
        Assert.That(model.Graph.Node.Count(n => n.OpType == "DequantizeLinear"), Is.GreaterThanOrEqualTo(3));
        Assert.That(input.Width, Is.EqualTo(224));

        var graph = TrainingGraphBuilder.Build(model, trainable, DetectorNetwork.RawOutput, new DetectionLoss(grid, 2),
            new Dictionary<string, long[]> { [input.Name] = new long[] { 2, 3, 224, 224 } });
        using var session = new TrainingGraphSession(graph, threads: 2);
        session.Input(input.Name).AsSpan().Fill(0.5f);
        session.Input(DetectionLoss.NormalizerInput)[0] = 1f;
        var loss = session.Run();
        Assert.That(float.IsFinite(loss) && loss > 0, Is.True, $"loss {loss}");
        Assert.That(Enumerable.Range(0, graph.Parameters.Count).Any(i => session.Gradient(i).Any(g => g != 0)), Is.True);
    }

    [Test]
    public void FineTuningTrainsTheBackbonesLastConvolutions()
    {
        var (model, trainable, grid, input) = DetectorNetwork.Build(1, new DetectorBackbone { Path = SharedData.YoloXNano, FineTuneConvolutions = 2 },
            new DetectorNetworkOptions { PyramidWidth = 16 });
        var backbone = trainable.Where(t => !t.StartsWith("det.", StringComparison.Ordinal)).ToList();
        Assert.That(backbone, Has.Count.EqualTo(4), "two convolutions, weight and bias each");

        var graph = TrainingGraphBuilder.Build(model, trainable, DetectorNetwork.RawOutput, new DetectionLoss(grid, 1),
            new Dictionary<string, long[]> { [input.Name] = new long[] { 1, 3, 416, 416 } });
        Assert.That(graph.Parameters.Select(p => p.Name), Is.SupersetOf(backbone));
    }

    [Test]
    public void MissingBackboneAndWrongTapsAreClearErrors()
    {
        Assert.Throws<FileNotFoundException>(() => DetectorNetwork.Build(1, new DetectorBackbone { Path = "/nowhere/model.onnx" }));
        var wrong = Assert.Throws<ArgumentException>(() => DetectorNetwork.Build(1, new DetectorBackbone { Path = SharedData.YoloXNano, FeatureTensors = new[] { "images", "images", "images" } }));
        Assert.That(wrong!.Message, Does.Contain("stride 8"));
        Assert.Throws<NotSupportedException>(() => DetectorNetwork.Build(1, new DetectorBackbone { Path = SharedData.MobileNetV2Int8, FineTuneConvolutions = 1 }));
    }
}
