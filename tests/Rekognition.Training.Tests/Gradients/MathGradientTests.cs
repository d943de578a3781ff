using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Tests.Gradients;

/// <summary>Finite-difference checks of the elementwise rules losses are built from.</summary>
public class MathGradientTests
{
    private static readonly float[] Positive = { 0.6f, 1.3f, 2.1f, 0.9f, 1.7f, 0.45f };

    [TestCase("Exp")]
    [TestCase("Softplus")]
    [TestCase("Abs")]
    [TestCase("Log")]
    [TestCase("Sqrt")]
    [TestCase("Reciprocal")]
    public void UnaryMatchesFiniteDifferences(string op)
    {
        var m = new TestModel().Input("x", 2, 3);
        // Log, Sqrt and Reciprocal need positive inputs; Abs needs inputs away from its kink at 0.
        _ = op is "Log" or "Sqrt" or "Reciprocal"
            ? m.Parameter("p", new long[] { 2, 3 }, Positive)
            : m.SpacedParameter("p", new long[] { 2, 3 }, 0.3f);
        m.Node(op, new[] { "p" }, new[] { "u" })
            .Node("Add", new[] { "u", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [TestCase(3f)]
    [TestCase(2.5f)]
    [TestCase(-0.5f)]
    public void PowWithConstantExponentMatchesFiniteDifferences(float exponent)
    {
        var m = new TestModel()
            .Input("x", 2, 3)
            .Parameter("p", new long[] { 2, 3 }, Positive)
            .Constant("c", new[] { exponent }, Array.Empty<long>())
            .Node("Pow", new[] { "p", "c" }, new[] { "u" })
            .Node("Add", new[] { "u", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void PowWithTrainableExponentMatchesFiniteDifferences()
    {
        // The exponent [3] broadcasts over the rows of the base [2, 3].
        var m = new TestModel()
            .Input("x", 2, 3)
            .Parameter("p", new long[] { 2, 3 }, Positive)
            .Parameter("c", new long[] { 3 }, new[] { 1.5f, -0.7f, 2.2f })
            .Node("Pow", new[] { "p", "c" }, new[] { "u" })
            .Node("Add", new[] { "u", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [TestCase("Min")]
    [TestCase("Max")]
    public void BroadcastMinMaxMatchesFiniteDifferences(string op)
    {
        // a's values are odd multiples of 0.01 and b's sit at least 0.005 from them, so no finite-difference
        // step crosses the kink where they are equal; b [3, 1] broadcasts over the batch and the last axis.
        var m = new TestModel()
            .Input("x", 2, 3, 4)
            .SpacedParameter("a", new long[] { 2, 3, 4 })
            .Parameter("b", new long[] { 3, 1 }, new[] { 0.004f, -0.135f, 0.055f })
            .Node(op, new[] { "a", "b" }, new[] { "u" })
            .Node("Add", new[] { "u", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [TestCase("Min")]
    [TestCase("Max")]
    public void MinMaxSplitTiesEvenly(string op)
    {
        // Equal operands: each gets half of the output's gradient (the loss's weights).
        var m = new TestModel()
            .Input("x", 1, 3)
            .Parameter("a", new long[] { 1, 3 }, new[] { 0.5f, -1f, 2f })
            .Parameter("b", new long[] { 1, 3 }, new[] { 0.5f, -1f, 2f })
            .Node(op, new[] { "a", "b" }, new[] { "u" })
            .Node("Add", new[] { "u", "x" }, new[] { "y" });
        var graph = TrainingGraphBuilder.Build(m.Build("y"), m.Parameters, "y", new Training.Losses.WeightedSumLoss(), m.InputShapes);
        using var session = new Training.Runtime.TrainingGraphSession(graph, 1);
        var weights = session.Input(Training.Losses.WeightedSumLoss.WeightsInput);
        new[] { 1f, 2f, -4f }.CopyTo(weights, 0);
        session.Run();
        Assert.That(session.Gradient(0), Is.EqualTo(new[] { 0.5f, 1f, -2f }));
        Assert.That(session.Gradient(1), Is.EqualTo(new[] { 0.5f, 1f, -2f }));
    }

    [Test]
    public void WhereSendsTheGradientToTheSelectedBranch()
    {
        // The condition comes from a constant; the second branch [4] broadcasts over [3, 4].
        var m = new TestModel()
            .Input("x", 3, 4)
            .Constant("k", Enumerable.Range(0, 12).Select(i => (i % 3) - 1f).ToArray(), new long[] { 3, 4 })
            .Parameter("a", new long[] { 3, 4 })
            .Parameter("b", new long[] { 4 })
            .Node("Greater", new[] { "k", "x" }, new[] { "c" })
            .Node("Where", new[] { "c", "a", "b" }, new[] { "u" })
            .Node("Mul", new[] { "u", "u" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void NarySumMatchesFiniteDifferences()
    {
        var m = new TestModel()
            .Input("x", 2, 3)
            .Parameter("a", new long[] { 2, 3 })
            .Parameter("b", new long[] { 3 })
            .Parameter("c", new long[] { 2, 1 })
            .Node("Sum", new[] { "a", "b", "c", "x" }, new[] { "s" })
            .Node("Mul", new[] { "s", "a" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void ExpandMatchesFiniteDifferences()
    {
        var m = new TestModel()
            .Input("x", 2, 3, 4)
            .Parameter("p", new long[] { 3, 1 })
            .Int64Constant("shape", 2, 3, 4)
            .Node("Expand", new[] { "p", "shape" }, new[] { "u" })
            .Node("Mul", new[] { "u", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [TestCase(0)]
    [TestCase(1)]
    public void ReduceMaxMatchesFiniteDifferences(int keepDims)
    {
        var m = new TestModel()
            .Input("x", 2, 4)
            .SpacedParameter("p", new long[] { 2, 3, 4 }, 0.05f)
            .Node("ReduceMax", new[] { "p" }, new[] { "u" }, TestModel.Ints("axes", 1), TestModel.Int("keepdims", keepDims));
        if (keepDims == 1)
        {
            m.Node("Squeeze", new[] { "u", "axis" }, new[] { "v" }).Int64Constant("axis", 1);
        }

        m.Node("Add", new[] { keepDims == 1 ? "v" : "u", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void MaskFromACastComparisonCarriesNoGradient()
    {
        // y = p·[p > 0]: the mask is a cast of a comparison, so dy/dp is the mask itself (kinks away from 0).
        var m = new TestModel()
            .Input("x", 2, 3)
            .SpacedParameter("p", new long[] { 2, 3 }, 0.3f)
            .Constant("zero", new[] { 0f }, Array.Empty<long>())
            .Node("Greater", new[] { "p", "zero" }, new[] { "positive" })
            .Node("Cast", new[] { "positive" }, new[] { "mask" }, TestModel.Int("to", (int)TensorProto.Types.DataType.Float))
            .Node("Mul", new[] { "p", "mask" }, new[] { "u" })
            .Node("Cast", new[] { "u" }, new[] { "v" }, TestModel.Int("to", (int)TensorProto.Types.DataType.Float))
            .Node("Add", new[] { "v", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }
}
