namespace Rekognition.Training.Tests.Gradients;

public class ConvGradientTests
{
    [TestCase(1, 0, 1, 1, TestName = "Conv 3x3 stride 1 no padding")]
    [TestCase(1, 1, 1, 1, TestName = "Conv 3x3 stride 1 padding 1")]
    [TestCase(2, 1, 1, 1, TestName = "Conv 3x3 stride 2 padding 1")]
    [TestCase(1, 2, 2, 1, TestName = "Conv 3x3 dilation 2 padding 2")]
    [TestCase(1, 1, 1, 2, TestName = "Conv 3x3 two groups")]
    [TestCase(2, 0, 1, 2, TestName = "Conv 3x3 stride 2 two groups")]
    public void ConvMatchesFiniteDifferences(int stride, int pad, int dilation, int groups)
    {
        var m = new TestModel()
            .Input("x", 2, 4, 7, 7)
            .Parameter("xin", new long[] { 2, 4, 7, 7 })
            .Parameter("w", new long[] { 6, 4 / groups, 3, 3 }, 0.5f)
            .Parameter("b", new long[] { 6 })
            .Node("Add", new[] { "x", "xin" }, new[] { "a" })
            .Node("Conv", new[] { "a", "w", "b" }, new[] { "y" },
                TestModel.Ints("kernel_shape", 3, 3), TestModel.Ints("strides", stride, stride),
                TestModel.Ints("pads", pad, pad, pad, pad), TestModel.Ints("dilations", dilation, dilation), TestModel.Int("group", groups));
        GradientCheck.Verify(m, "y");
    }

    [TestCase(1, TestName = "Depthwise conv stride 1")]
    [TestCase(2, TestName = "Depthwise conv stride 2")]
    public void DepthwiseConvMatchesFiniteDifferences(int stride)
    {
        var m = new TestModel()
            .Input("x", 2, 4, 6, 6)
            .Parameter("xin", new long[] { 2, 4, 6, 6 })
            .Parameter("w", new long[] { 4, 1, 3, 3 }, 0.5f)
            .Node("Add", new[] { "x", "xin" }, new[] { "a" })
            .Node("Conv", new[] { "a", "w" }, new[] { "y" },
                TestModel.Ints("kernel_shape", 3, 3), TestModel.Ints("strides", stride, stride), TestModel.Ints("pads", 1, 1, 1, 1), TestModel.Int("group", 4));
        GradientCheck.Verify(m, "y");
    }

    [TestCase(1, TestName = "Conv with asymmetric padding stride 1")]
    [TestCase(2, TestName = "Conv with asymmetric padding stride 2")]
    public void AsymmetricPaddingMatchesFiniteDifferences(int stride)
    {
        var m = new TestModel()
            .Input("x", 2, 2, 6, 5)
            .Parameter("xin", new long[] { 2, 2, 6, 5 })
            .Parameter("w", new long[] { 3, 2, 3, 2 }, 0.5f)
            .Node("Add", new[] { "x", "xin" }, new[] { "a" })
            .Node("Conv", new[] { "a", "w" }, new[] { "y" },
                TestModel.Ints("kernel_shape", 3, 2), TestModel.Ints("strides", stride, stride), TestModel.Ints("pads", 0, 1, 2, 0));
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void PointwiseConvMatchesFiniteDifferences()
    {
        var m = new TestModel()
            .Input("x", 2, 3, 4, 4)
            .Parameter("xin", new long[] { 2, 3, 4, 4 })
            .Parameter("w", new long[] { 5, 3, 1, 1 })
            .Node("Add", new[] { "x", "xin" }, new[] { "a" })
            .Node("Conv", new[] { "a", "w" }, new[] { "y" }, TestModel.Ints("kernel_shape", 1, 1));
        GradientCheck.Verify(m, "y");
    }

    // Many output channels on few positions: the conv runs forward as im2col plus one GEMM over the batch and
    // its weight gradient reuses those columns.
    [TestCase(3, 1, 2, 1, true, TestName = "Conv as GEMM 3x3 stride 2 padding 1 with bias")]
    [TestCase(3, 1, 1, 1, false, TestName = "Conv as GEMM 3x3 stride 1 padding 1")]
    [TestCase(3, 2, 1, 2, true, TestName = "Conv as GEMM 3x3 dilation 2")]
    [TestCase(1, 0, 1, 1, true, TestName = "Conv as GEMM pointwise with bias")]
    public void ConvRunAsGemmMatchesFiniteDifferences(int kernel, int pad, int stride, int dilation, bool bias)
    {
        var m = new TestModel()
            .Input("x", 2, 3, 3, 3)
            .Parameter("xin", new long[] { 2, 3, 3, 3 })
            .Parameter("w", new long[] { 20, 3, kernel, kernel }, 0.5f)
            .Node("Add", new[] { "x", "xin" }, new[] { "a" });
        if (bias)
        {
            m.Parameter("b", new long[] { 20 });
        }

        m.Node("Conv", bias ? new[] { "a", "w", "b" } : new[] { "a", "w" }, new[] { "y" },
            TestModel.Ints("kernel_shape", kernel, kernel), TestModel.Ints("strides", stride, stride),
            TestModel.Ints("pads", pad, pad, pad, pad), TestModel.Ints("dilations", dilation, dilation));
        const string output = "y";
        var graph = Rekognition.Training.Graphs.TrainingGraphBuilder.Build(m.Build(output), m.Parameters, output, new Rekognition.Training.Losses.WeightedSumLoss(), m.InputShapes);
        var readers = graph.Model.Graph.Node.Where(n => n.Input.Any(i => i.EndsWith("__columns", StringComparison.Ordinal))).Select(n => n.OpType).Order().ToList();
        Assert.That(readers, Is.EqualTo(new[] { "MatMul", "Transpose" }), "the forward product and the weight gradient both read the columns");
        Assert.That(graph.Model.Graph.Node.Any(n => n.OpType == "Conv" && n.Input[1] == "w"), Is.False, "the conv itself no longer runs per image");
        GradientCheck.Verify(m, output);
    }

    [TestCase(3, 1, TestName = "Conv input gradient as GEMM 3x3")]
    [TestCase(1, 0, TestName = "Conv input gradient as GEMM pointwise")]
    public void ConvInputGradientAsGemmMatchesFiniteDifferences(int kernel, int pad)
    {
        // Many input channels on a small map: the stride-1 input gradient is a GEMM too.
        var m = new TestModel()
            .Input("x", 2, 20, 2, 2)
            .Parameter("xin", new long[] { 2, 20, 2, 2 })
            .Parameter("w", new long[] { 24, 20, kernel, kernel }, 0.3f)
            .Node("Add", new[] { "x", "xin" }, new[] { "a" })
            .Node("Conv", new[] { "a", "w" }, new[] { "y" }, TestModel.Ints("kernel_shape", kernel, kernel), TestModel.Ints("pads", pad, pad, pad, pad));
        var graph = Rekognition.Training.Graphs.TrainingGraphBuilder.Build(m.Build("y"), m.Parameters, "y", new Rekognition.Training.Losses.WeightedSumLoss(), m.InputShapes);
        Assert.That(graph.Model.Graph.Node.Where(n => n.OpType is "Conv" or "ConvTranspose").Select(n => n.Input[1]).All(k => k.StartsWith("im2col_onehot", StringComparison.Ordinal)), Is.True,
            "only the im2col convs remain");
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void DataInputGetsNoGradientButWeightsDo()
    {
        // The first conv's input is the image: its input gradient must not be computed at all.
        var m = new TestModel()
            .Input("x", 2, 1, 5, 5)
            .Parameter("w", new long[] { 3, 1, 3, 3 })
            .Node("Conv", new[] { "x", "w" }, new[] { "y" }, TestModel.Ints("kernel_shape", 3, 3));
        var graph = Rekognition.Training.Graphs.TrainingGraphBuilder.Build(m.Build("y"), m.Parameters, "y", new Rekognition.Training.Losses.WeightedSumLoss(), m.InputShapes);
        Assert.That(graph.Model.Graph.Node.Count(n => n.OpType == "ConvTranspose" || (n.OpType == "Conv" && n.Input[0] != "x" && !n.Input[0].StartsWith("reshape", StringComparison.Ordinal))), Is.Zero);
        GradientCheck.Verify(m, "y");
    }
}
