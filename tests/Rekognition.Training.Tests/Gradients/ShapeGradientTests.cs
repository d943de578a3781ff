namespace Rekognition.Training.Tests.Gradients;

public class ShapeGradientTests
{
    [Test]
    public void FlattenThenGemmMatchesFiniteDifferences()
    {
        var m = new TestModel()
            .Input("x", 2, 3)
            .Parameter("p", new long[] { 2, 2, 2, 2 })
            .Parameter("w", new long[] { 3, 8 })
            .Node("Flatten", new[] { "p" }, new[] { "f" }, TestModel.Int("axis", 1))
            .Node("Gemm", new[] { "f", "w" }, new[] { "g" }, TestModel.Int("transB", 1))
            .Node("Add", new[] { "g", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void ReshapeAndTransposeMatchFiniteDifferences()
    {
        var m = new TestModel()
            .Input("x", 3, 2, 4)
            .Parameter("p", new long[] { 2, 3, 4 })
            .Parameter("s", new long[] { 2, 3, 4 })
            .Int64Constant("shape", 2, 12)
            .Int64Constant("back", 2, 3, 4)
            .Node("Mul", new[] { "p", "s" }, new[] { "ps" })
            .Node("Reshape", new[] { "ps", "shape" }, new[] { "r" })
            .Node("Reshape", new[] { "r", "back" }, new[] { "r2" })
            .Node("Transpose", new[] { "r2" }, new[] { "t" }, TestModel.Ints("perm", 1, 0, 2))
            .Node("Add", new[] { "t", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void ConcatAndSliceMatchFiniteDifferences()
    {
        var m = new TestModel()
            .Input("x", 2, 4, 3)
            .Parameter("a", new long[] { 2, 2, 3 })
            .Parameter("b", new long[] { 2, 3, 3 })
            .Int64Constant("starts", 1)
            .Int64Constant("ends", 5)
            .Int64Constant("axes", 1)
            .Node("Concat", new[] { "a", "b" }, new[] { "c" }, TestModel.Int("axis", 1))
            .Node("Slice", new[] { "c", "starts", "ends", "axes" }, new[] { "s" })
            .Node("Add", new[] { "s", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [TestCase("ReduceSum")]
    [TestCase("ReduceMean")]
    public void ReduceMatchesFiniteDifferences(string op)
    {
        var m = new TestModel()
            .Input("x", 2, 1, 4)
            .Parameter("p", new long[] { 2, 3, 4 });
        if (op == "ReduceSum")
        {
            m.Int64Constant("axes", 1).Node(op, new[] { "p", "axes" }, new[] { "r" }, TestModel.Int("keepdims", 1));
        }
        else
        {
            m.Node(op, new[] { "p" }, new[] { "r" }, TestModel.Ints("axes", 1), TestModel.Int("keepdims", 1));
        }

        m.Node("Add", new[] { "r", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }
}
