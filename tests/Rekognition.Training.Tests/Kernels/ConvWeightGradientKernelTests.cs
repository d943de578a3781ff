using Rekognition.Training.Graphs;
using Rekognition.Training.Kernels;
using Rekognition.Training.Losses;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Tests.Kernels;

/// <summary>
/// The conv weight-gradient kernel against its oracle, the standard-op formulation (same graph built with custom
/// kernels off), and against finite differences; unsupported convolutions keep the standard ops when the graph is built.
/// </summary>
public class ConvWeightGradientKernelTests
{
    [TestCase(3, 1, 1, 8, 6, 9, 11, TestName = "Weight gradient 3x3 stride 1 pad 1")]
    [TestCase(3, 1, 0, 1, 6, 12, 12, TestName = "Weight gradient 3x3 stride 1 no padding, one input channel")]
    [TestCase(3, 2, 1, 5, 7, 10, 9, TestName = "Weight gradient 3x3 stride 2 pad 1, odd output channels")]
    [TestCase(3, 1, 1, 3, 16, 33, 31, TestName = "Weight gradient 3x3 stride 1 on wide maps")]
    public void MatchesTheStandardOpsWithin1e4(int kernel, int stride, int pad, int cin, int cout, int height, int width)
    {
        var model = ConvModel(kernel, stride, pad, cin, cout, height, width, batch: 3);
        var custom = KernelOracle.Gradients(model, customKernels: true, out var customGraph);
        var standard = KernelOracle.Gradients(model, customKernels: false, out var standardGraph);

        Assert.That(customGraph.Model.Graph.Node.Count(n => n.OpType == ConvWeightGradientKernel.Name), Is.EqualTo(1));
        Assert.That(standardGraph.Model.Graph.Node.Any(n => n.Domain == TrainingKernels.Domain), Is.False);
        KernelOracle.AssertClose(custom, standard);
    }

    [TestCase(1, TestName = "Kernel weight gradient matches finite differences, stride 1")]
    [TestCase(2, TestName = "Kernel weight gradient matches finite differences, stride 2")]
    public void MatchesFiniteDifferences(int stride)
    {
        var model = ConvModel(3, stride, 1, 3, 5, 7, 6, batch: 2);
        GradientCheck.Verify(model, "y");
    }

    [Test]
    public void RepeatedSteps_AllocateLessThanOneChunksSums()
    {
        // 64 -> 64 channels: each chunk's partial dW is 64·64·9 floats (147 KB), and batch 4 runs 4 chunks, so a step that
        // allocated its partial sums would allocate 590 KB; rented from the pool, a warm step allocates next to nothing.
        var model = ConvModel(3, 1, 1, 64, 64, 8, 8, batch: 4);
        var graph = TrainingGraphBuilder.Build(model.Build("y"), model.Parameters, "y", new WeightedSumLoss(), model.InputShapes, customKernels: true);
        Assert.That(graph.Model.Graph.Node.Count(n => n.OpType == ConvWeightGradientKernel.Name), Is.EqualTo(1));
        using var session = new TrainingGraphSession(graph, threads: 2);
        session.Run();
        session.Run();

        const int steps = 10;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < steps; i++)
        {
            session.Run();
        }

        var perStep = (GC.GetTotalAllocatedBytes(precise: true) - before) / steps;
        Assert.That(perStep, Is.LessThan(64 * 64 * 9 * sizeof(float)), "bytes allocated per step");
    }

    [TestCase(5, 1, 1, 1, TestName = "A 5x5 kernel keeps the standard ops")]
    [TestCase(1, 2, 1, 1, TestName = "A 1x1 kernel keeps the standard ops")]
    [TestCase(3, 1, 2, 1, TestName = "A dilated kernel keeps the standard ops")]
    [TestCase(3, 1, 1, 2, TestName = "A grouped kernel keeps the standard ops")]
    [TestCase(3, 3, 1, 1, TestName = "Stride 3 keeps the standard ops")]
    public void UnsupportedShapesFallBackWhenTheGraphIsBuilt(int kernel, int stride, int dilation, int groups)
    {
        var model = new TestModel()
            .Input("x", 2, 4, 12, 12)
            .Parameter("w", new long[] { 6, 4 / groups, kernel, kernel }, 0.5f)
            .Node("Conv", new[] { "x", "w" }, new[] { "y" },
                TestModel.Ints("kernel_shape", kernel, kernel), TestModel.Ints("strides", stride, stride),
                TestModel.Ints("pads", 1, 1, 1, 1), TestModel.Ints("dilations", dilation, dilation), TestModel.Int("group", groups));
        var graph = TrainingGraphBuilder.Build(model.Build("y"), model.Parameters, "y", new WeightedSumLoss(), model.InputShapes);

        Assert.That(graph.Model.Graph.Node.Any(n => n.Domain == TrainingKernels.Domain), Is.False);
        Assert.That(graph.Model.OpsetImport.Any(o => o.Domain == TrainingKernels.Domain), Is.False);
        using var session = new TrainingGraphSession(graph, threads: 1);
        Assert.That(float.IsFinite(session.Run()), Is.True);
    }

    private static TestModel ConvModel(int kernel, int stride, int pad, int cin, int cout, int height, int width, int batch) =>
        new TestModel(seed: kernel + (10 * stride) + (100 * cin))
            .Input("x", batch, cin, height, width)
            .Parameter("xin", new long[] { batch, cin, height, width })
            .Parameter("w", new long[] { cout, cin, kernel, kernel }, 0.5f)
            .Node("Add", new[] { "x", "xin" }, new[] { "a" })
            .Node("Conv", new[] { "a", "w" }, new[] { "y" },
                TestModel.Ints("kernel_shape", kernel, kernel), TestModel.Ints("strides", stride, stride), TestModel.Ints("pads", pad, pad, pad, pad));
}
