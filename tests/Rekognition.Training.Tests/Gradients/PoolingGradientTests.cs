namespace Rekognition.Training.Tests.Gradients;

public class PoolingGradientTests
{
    [TestCase(2, 2, 0, TestName = "MaxPool 2x2 stride 2")]
    [TestCase(3, 1, 1, TestName = "MaxPool 3x3 stride 1 overlapping, padded")]
    [TestCase(3, 2, 0, TestName = "MaxPool 3x3 stride 2 overlapping")]
    public void MaxPoolMatchesFiniteDifferences(int kernel, int stride, int pad)
    {
        var m = new TestModel()
            .Input("x", 2, 3, 6, 6)
            .SpacedParameter("p", new long[] { 2, 3, 6, 6 })
            .Node("MaxPool", new[] { "p" }, new[] { "y" },
                TestModel.Ints("kernel_shape", kernel, kernel), TestModel.Ints("strides", stride, stride), TestModel.Ints("pads", pad, pad, pad, pad));
        GradientCheck.Verify(m, "y", samplesPerParameter: 60);
    }

    [Test]
    public void ReluThenMaxPoolIsPooledFirstAndMatchesFiniteDifferences()
    {
        var m = new TestModel()
            .Input("x", 2, 2, 6, 6)
            .SpacedParameter("p", new long[] { 2, 2, 6, 6 })
            .Node("Relu", new[] { "p" }, new[] { "r" })
            .Node("MaxPool", new[] { "r" }, new[] { "y" }, TestModel.Ints("kernel_shape", 2, 2), TestModel.Ints("strides", 2, 2));
        var graph = Graphs.TrainingGraphBuilder.Build(m.Build("y"), m.Parameters, "y", new Losses.WeightedSumLoss(), m.InputShapes);
        var ops = graph.Model.Graph.Node.Select(n => n.OpType).ToList();
        Assert.That(ops.IndexOf("MaxPool"), Is.LessThan(ops.IndexOf("Relu")), "the ReLU runs on the pooled tensor");
        GradientCheck.Verify(m, "y", samplesPerParameter: 72);
    }

    [TestCase(2, 2, 0, TestName = "AveragePool 2x2 stride 2")]
    [TestCase(3, 1, 1, TestName = "AveragePool 3x3 stride 1 padded")]
    public void AveragePoolMatchesFiniteDifferences(int kernel, int stride, int pad)
    {
        var m = new TestModel()
            .Input("x", 2, 3, 6, 6)
            .Parameter("p", new long[] { 2, 3, 6, 6 })
            .Node("AveragePool", new[] { "p" }, new[] { "y" },
                TestModel.Ints("kernel_shape", kernel, kernel), TestModel.Ints("strides", stride, stride), TestModel.Ints("pads", pad, pad, pad, pad),
                TestModel.Int("count_include_pad", 1));
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void GlobalAveragePoolMatchesFiniteDifferences()
    {
        var m = new TestModel()
            .Input("x", 2, 3, 1, 1)
            .Parameter("p", new long[] { 2, 3, 4, 5 })
            .Node("GlobalAveragePool", new[] { "p" }, new[] { "g" })
            .Node("Add", new[] { "g", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }
}
