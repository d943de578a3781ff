namespace Rekognition.Training.Tests.Gradients;

public class LinearGradientTests
{
    [TestCase(0, 0)]
    [TestCase(0, 1)]
    [TestCase(1, 0)]
    [TestCase(1, 1)]
    public void GemmMatchesFiniteDifferences(int transA, int transB)
    {
        var a = transA == 1 ? new long[] { 5, 3 } : new long[] { 3, 5 };
        var b = transB == 1 ? new long[] { 4, 5 } : new long[] { 5, 4 };
        var m = new TestModel()
            .Input("x", 3, 4)
            .Parameter("a", a)
            .Parameter("b", b)
            .Parameter("c", new long[] { 4 })
            .Node("Gemm", new[] { "a", "b", "c" }, new[] { "g" }, TestModel.Int("transA", transA), TestModel.Int("transB", transB), TestModel.Float("alpha", 0.7f), TestModel.Float("beta", 1.3f))
            .Node("Add", new[] { "g", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void MatMulWithSharedWeightMatchesFiniteDifferences()
    {
        var m = new TestModel()
            .Input("x", 2, 3, 5)
            .Parameter("xin", new long[] { 2, 3, 5 })
            .Parameter("w", new long[] { 5, 4 })
            .Node("Add", new[] { "x", "xin" }, new[] { "a" })
            .Node("MatMul", new[] { "a", "w" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void BatchedMatMulWithBroadcastMatchesFiniteDifferences()
    {
        var m = new TestModel()
            .Input("x", 2, 3, 5)
            .Parameter("xin", new long[] { 2, 3, 5 })
            .Parameter("w", new long[] { 1, 5, 4 })
            .Node("Add", new[] { "x", "xin" }, new[] { "a" })
            .Node("MatMul", new[] { "a", "w" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }
}
