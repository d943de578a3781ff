using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Tests.Gradients;

/// <summary>Losses differentiated through their own forward nodes: the mechanism and the detection losses.</summary>
public class DifferentiableLossTests
{
    /// <summary>Sigmoid BCE written as forward nodes only, to compare with the closed-form loss.</summary>
    private sealed class AutodiffBinaryCrossEntropy : DifferentiableLoss
    {
        internal override string EmitForward(GraphEmitter emit, string output, long[] outputShape, List<ValueInfoProto> inputs)
        {
            inputs.Add(OnnxTensors.ValueInfo(SigmoidBinaryCrossEntropyLoss.TargetsInput, OnnxTensors.Float, outputShape));
            var perElement = LossTerms.BinaryCrossEntropyWithLogits(emit, output, SigmoidBinaryCrossEntropyLoss.TargetsInput);
            return emit.Op("ReduceMean", new[] { perElement }, OnnxAttributes.Int("keepdims", 0));
        }
    }

    /// <summary>A loss whose value is a constant: nothing to differentiate.</summary>
    private sealed class ConstantLoss : DifferentiableLoss
    {
        internal override string EmitForward(GraphEmitter emit, string output, long[] outputShape, List<ValueInfoProto> inputs) =>
            emit.Op("Identity", new[] { emit.Scalar(2f) });
    }

    /// <summary>A loss that forgets to reduce to a scalar.</summary>
    private sealed class VectorLoss : DifferentiableLoss
    {
        internal override string EmitForward(GraphEmitter emit, string output, long[] outputShape, List<ValueInfoProto> inputs) =>
            emit.Op("ReduceSum", new[] { output, emit.Int64s(1) }, OnnxAttributes.Int("keepdims", 0));
    }

    private static TestModel Head(int n, int k) => new TestModel()
        .Input("x", n, 3)
        .Parameter("w", new long[] { 3, k })
        .Parameter("b", new long[] { k })
        .Node("Gemm", new[] { "x", "w", "b" }, new[] { "logits" });

    /// <summary>A model whose output y is the parameter p (plus the data input, which the fill sets to 0).</summary>
    private static TestModel Direct(long[] shape, float[] values) => new TestModel()
        .Input("x", shape)
        .Parameter("p", shape, values)
        .Node("Add", new[] { "p", "x" }, new[] { "y" });

    private static TrainingGraphSession Session(TestModel model, string output, TrainingLoss loss) =>
        new(TrainingGraphBuilder.Build(model.Build(output), model.Parameters, output, loss, model.InputShapes), threads: 1);

    private static float[] Uniform(int count, int seed, float low, float high)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(low + (random.NextDouble() * (high - low)))).ToArray();
    }

    [Test]
    public void AutodiffMatchesTheClosedFormGradient()
    {
        var model = Head(4, 3);
        var targets = Uniform(12, 5, 0f, 1f).Select(t => t > 0.5f ? 1f : 0f).ToArray();
        var x = Uniform(12, 6, -1f, 1f);
        var results = new List<(float Loss, float[] Dw, float[] Db)>();
        foreach (var loss in new TrainingLoss[] { new SigmoidBinaryCrossEntropyLoss(), new AutodiffBinaryCrossEntropy() })
        {
            using var session = Session(model, "logits", loss);
            x.CopyTo(session.Input("x"), 0);
            targets.CopyTo(session.Input(SigmoidBinaryCrossEntropyLoss.TargetsInput), 0);
            var value = session.Run();
            results.Add((value, (float[])session.Gradient(0).Clone(), (float[])session.Gradient(1).Clone()));
        }

        Assert.That(results[1].Loss, Is.EqualTo(results[0].Loss).Within(1e-6));
        Assert.That(results[1].Dw, Is.EqualTo(results[0].Dw).Within(1e-6));
        Assert.That(results[1].Db, Is.EqualTo(results[0].Db).Within(1e-6));
    }

    [Test]
    public void AutodiffLossDeclaresItsInputsAsLabelInputs()
    {
        var graph = TrainingGraphBuilder.Build(Head(2, 2).Build("logits"), new[] { "w", "b" }, "logits", new SigmoidFocalLoss(weighted: true, reduction: LossReduction.SumOverNormalizer), Head(2, 2).InputShapes);
        Assert.That(graph.LabelInputs, Is.EqualTo(new[] { TargetLoss.TargetsInput, TargetLoss.WeightsInput, TargetLoss.NormalizerInput }));
    }

    [Test]
    public void ALossThatIgnoresTheOutputIsRejected()
    {
        var model = Head(2, 2);
        Assert.Throws<InvalidOperationException>(() => TrainingGraphBuilder.Build(model.Build("logits"), model.Parameters, "logits", new ConstantLoss(), model.InputShapes));
    }

    [Test]
    public void ANonScalarLossIsRejected()
    {
        var model = Head(2, 2);
        Assert.Throws<InvalidOperationException>(() => TrainingGraphBuilder.Build(model.Build("logits"), model.Parameters, "logits", new VectorLoss(), model.InputShapes));
    }
}
