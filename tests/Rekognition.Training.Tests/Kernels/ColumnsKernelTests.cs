using Rekognition.Training.Kernels;

namespace Rekognition.Training.Tests.Kernels;

/// <summary>
/// The im2col kernel of convolutions run as one GEMM over the batch (few positions, many channels), forward and in the
/// input gradient, against the standard-op formulation (within 1e-4) and finite differences.
/// </summary>
public class ColumnsKernelTests
{
    [TestCase(3, 1, 1, 1, 1, 64, 64, 4, 4, 2, TestName = "Columns 3x3 stride 1 pad 1, forward and input gradient")]
    [TestCase(3, 2, 1, 1, 1, 8, 40, 7, 7, 1, TestName = "Columns 3x3 stride 2 pad 1 on an odd map")]
    [TestCase(1, 2, 0, 0, 0, 8, 32, 8, 8, 1, TestName = "Columns 1x1 stride 2")]
    [TestCase(3, 1, 0, 0, 0, 5, 48, 6, 7, 1, TestName = "Columns 3x3 no padding on a non-square map")]
    [TestCase(3, 2, 1, 0, 2, 6, 40, 6, 9, 1, TestName = "Columns 3x3 stride 2 with uneven pads")]
    public void MatchesTheStandardOpsWithin1e4(int kernel, int stride, int padTop, int padLeft, int padEnd, int cin, int cout, int height, int width, int expected)
    {
        var model = ConvModel(kernel, stride, new long[] { padTop, padLeft, padEnd, padEnd }, cin, cout, height, width);
        var custom = KernelOracle.Gradients(model, customKernels: true, out var customGraph);
        var standard = KernelOracle.Gradients(model, customKernels: false, out var standardGraph);

        Assert.That(customGraph.Model.Graph.Node.Count(n => n.OpType == ColumnsKernel.Name && n.Domain == TrainingKernels.Domain), Is.EqualTo(expected));
        Assert.That(standardGraph.Model.Graph.Node.Any(n => n.Domain == TrainingKernels.Domain), Is.False);
        KernelOracle.AssertClose(custom, standard);
    }

    [Test]
    public void MatchesFiniteDifferences() => GradientCheck.Verify(ConvModel(3, 2, new long[] { 1, 1, 1, 1 }, 3, 24, 5, 6), "y");

    private static TestModel ConvModel(int kernel, int stride, long[] pads, int cin, int cout, int height, int width) =>
        new TestModel(seed: kernel + (10 * stride) + (100 * cin))
            .Input("x", 2, cin, height, width)
            .Parameter("xin", new long[] { 2, cin, height, width })
            .Parameter("w", new long[] { cout, cin, kernel, kernel }, 0.5f)
            .Node("Add", new[] { "x", "xin" }, new[] { "a" })
            .Node("Conv", new[] { "a", "w" }, new[] { "y" },
                TestModel.Ints("kernel_shape", kernel, kernel), TestModel.Ints("strides", stride, stride), TestModel.Ints("pads", pads));
}
