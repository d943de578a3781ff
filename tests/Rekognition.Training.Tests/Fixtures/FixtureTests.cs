using System.Runtime.InteropServices;
using System.Text.Json;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Tests.Fixtures;

/// <summary>
/// Whole training graphs against PyTorch autograd: each fixture (written by make_fixtures.py) holds a small
/// network exported from PyTorch, its input and loss targets, and PyTorch's loss and parameter gradients with
/// batch norm in training mode. Our graph for the same ONNX file and loss must agree.
/// </summary>
public class FixtureTests
{
    private const double RelativeTolerance = 1e-4;
    private const double AbsoluteTolerance = 1e-5;

    private static string Folder => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures");

    [TestCase("conv_bn_pool_ce")]
    [TestCase("depthwise_residual_bce")]
    [TestCase("nearest_fpn_focal")]
    [TestCase("bilinear_boxes_giou")]
    [TestCase("aligned_resize_smoothl1")]
    public void LossAndGradientsMatchPyTorch(string name)
    {
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".json")));
        var root = index.RootElement;
        var data = File.ReadAllBytes(Path.Combine(Folder, root.GetProperty("data").GetString()!));
        var arrays = root.GetProperty("arrays");
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(Folder, root.GetProperty("onnx").GetString()!)));
        var parameters = root.GetProperty("parameters").EnumerateArray().Select(p => p.GetString()!).ToList();
        var output = root.GetProperty("output").GetString()!;
        var input = arrays.GetProperty("input");
        var inputShape = input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();

        var spec = root.GetProperty("loss");
        var (loss, targetsInput) = spec.GetProperty("type").GetString() switch
        {
            "softmax_cross_entropy" => ((TrainingLoss)new SoftmaxCrossEntropyLoss(), SoftmaxCrossEntropyLoss.LabelsInput),
            "sigmoid_bce" => (new SigmoidBinaryCrossEntropyLoss(), SigmoidBinaryCrossEntropyLoss.TargetsInput),
            "sigmoid_focal" => (new SigmoidFocalLoss(spec.GetProperty("alpha").GetSingle(), spec.GetProperty("gamma").GetSingle()), TargetLoss.TargetsInput),
            "giou" => (new GeneralizedIoULoss(), TargetLoss.TargetsInput),
            "smooth_l1" => (new SmoothL1Loss(spec.GetProperty("beta").GetSingle()), TargetLoss.TargetsInput),
            var other => throw new InvalidDataException($"Unknown loss {other}."),
        };

        var graph = TrainingGraphBuilder.Build(model, parameters, output, loss,
            new Dictionary<string, long[]>(StringComparer.Ordinal) { [model.Graph.Input[0].Name] = inputShape });
        using var session = new TrainingGraphSession(graph, threads: 1);
        Floats(data, input).CopyTo(session.Input(model.Graph.Input[0].Name), 0);
        var targets = arrays.GetProperty("targets");
        if (targets.GetProperty("dtype").GetString() == "int64")
        {
            Int64s(data, targets).CopyTo(session.Int64Input(targetsInput), 0);
        }
        else
        {
            Floats(data, targets).CopyTo(session.Input(targetsInput), 0);
        }

        var value = session.Run();
        var expectedLoss = root.GetProperty("loss_value").GetDouble();
        Assert.That(value, Is.EqualTo(expectedLoss).Within(AbsoluteTolerance + (RelativeTolerance * Math.Abs(expectedLoss))), "loss");
        for (var p = 0; p < graph.Parameters.Count; p++)
        {
            var expected = Floats(data, arrays.GetProperty("grad:" + graph.Parameters[p].Name));
            var actual = session.Gradient(p);
            Assert.That(actual, Has.Length.EqualTo(expected.Length), graph.Parameters[p].Name);
            for (var i = 0; i < expected.Length; i++)
            {
                var tolerance = AbsoluteTolerance + (RelativeTolerance * Math.Abs(expected[i]));
                Assert.That(actual[i], Is.EqualTo(expected[i]).Within(tolerance), $"d loss / d {graph.Parameters[p].Name}[{i}]");
            }
        }
    }

    private static long Count(JsonElement array) => array.GetProperty("shape").EnumerateArray().Aggregate(1L, (p, d) => p * d.GetInt64());

    private static float[] Floats(byte[] data, JsonElement array) =>
        MemoryMarshal.Cast<byte, float>(data.AsSpan(array.GetProperty("offset").GetInt32(), checked((int)Count(array) * 4))).ToArray();

    private static long[] Int64s(byte[] data, JsonElement array) =>
        MemoryMarshal.Cast<byte, long>(data.AsSpan(array.GetProperty("offset").GetInt32(), checked((int)Count(array) * 8))).ToArray();
}
