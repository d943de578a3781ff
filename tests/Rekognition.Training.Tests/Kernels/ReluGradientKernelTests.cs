using Rekognition.Training.Kernels;

namespace Rekognition.Training.Tests.Kernels;

/// <summary>
/// The ReLU backward kernel (alone, and on the Sum of two gradients when the ReLU's output has two readers) and the
/// batch-norm + ReLU backward on such a sum, against the standard-op formulation (within 1e-4) and finite differences.
/// </summary>
public class ReluGradientKernelTests
{
    [TestCase(false, 4, 5, 9, 7, TestName = "ReLU backward kernel matches the standard ops")]
    [TestCase(true, 4, 5, 9, 7, TestName = "ReLU backward kernel on two summed gradients matches the standard ops")]
    [TestCase(true, 2, 8, 64, 72, TestName = "ReLU backward kernel on two summed gradients matches the standard ops over several parallel blocks")]
    public void MatchesTheStandardOpsWithin1e4(bool twoReaders, int batch, int channels, int height, int width)
    {
        var model = ReluModel(twoReaders, batch, channels, height, width);
        var custom = KernelOracle.Gradients(model, customKernels: true, out var customGraph);
        var standard = KernelOracle.Gradients(model, customKernels: false, out var standardGraph);

        var nodes = customGraph.Model.Graph.Node;
        var expected = twoReaders ? ReluGradientKernel.SumName : ReluGradientKernel.Name;
        Assert.That(nodes.Count(n => n.OpType == expected && n.Domain == TrainingKernels.Domain), Is.EqualTo(1));
        Assert.That(nodes.Any(n => n.OpType is "Greater" or "Cast"), Is.False, "the mask is made in the kernel");
        Assert.That(nodes.Count(n => n.OpType == "Sum"), Is.EqualTo(standardGraph.Model.Graph.Node.Count(n => n.OpType == "Sum") - (twoReaders ? 1 : 0)),
            "the two gradients are summed in the kernel");
        KernelOracle.AssertClose(custom, standard);
    }

    [TestCase(false, TestName = "ReLU backward kernel matches finite differences")]
    [TestCase(true, TestName = "ReLU backward kernel on two summed gradients matches finite differences")]
    public void MatchesFiniteDifferences(bool twoReaders) => GradientCheck.Verify(ReluModel(twoReaders, 3, 3, 4, 5), "y");

    [Test]
    public void BatchNormReluBackwardOnTwoSummedGradients_MatchesTheStandardOpsWithin1e4()
    {
        var model = NormedReluModel(4, 5, 9, 7);
        var custom = KernelOracle.Gradients(model, customKernels: true, out var customGraph);
        var standard = KernelOracle.Gradients(model, customKernels: false, out _);

        var nodes = customGraph.Model.Graph.Node;
        Assert.That(nodes.Count(n => n.OpType == BatchNormGradientKernel.ReluSumName && n.Domain == TrainingKernels.Domain), Is.EqualTo(1));
        Assert.That(nodes.Any(n => n.OpType == "Sum"), Is.False, "the two gradients are summed in the kernel");
        KernelOracle.AssertClose(custom, standard);
    }

    [Test]
    public void BatchNormReluBackwardOnTwoSummedGradients_MatchesFiniteDifferences() => GradientCheck.Verify(NormedReluModel(3, 3, 4, 5), "y");

    [Test]
    public void AReluOfUnknownShapeKeepsTheStandardOps()
    {
        Assert.That(ReluGradientKernel.Supports(new long[] { 2, 3 }), Is.True);
        Assert.That(ReluGradientKernel.Supports(new long[] { -1, 3 }), Is.False);
        Assert.That(ReluGradientKernel.Supports(Array.Empty<long>()), Is.False);
    }

    // r = relu(x·p); y = r, or r·q + r (the ReLU's output read twice, its gradient a Sum of two).
    private static TestModel ReluModel(bool twoReaders, int batch, int channels, int height, int width)
    {
        var shape = new long[] { batch, channels, height, width };
        var model = new TestModel(seed: channels + width)
            .Input("x", batch, channels, height, width)
            .Parameter("p", shape)
            .Node("Mul", new[] { "x", "p" }, new[] { "a" });
        return twoReaders
            ? model.Parameter("q", shape).Node("Relu", new[] { "a" }, new[] { "r" }).Node("Mul", new[] { "r", "q" }, new[] { "m" }).Node("Add", new[] { "m", "r" }, new[] { "y" })
            : model.Node("Relu", new[] { "a" }, new[] { "y" });
    }

    // r = relu(batchnorm(x + p)) read twice: y = r·q + r.
    private static TestModel NormedReluModel(int batch, int channels, int height, int width) =>
        BatchNormKernelTests.Normed(batch, channels, height, width)
            .Parameter("q", new long[] { batch, channels, height, width })
            .Node("Relu", new[] { "b" }, new[] { "r" })
            .Node("Mul", new[] { "r", "q" }, new[] { "m" })
            .Node("Add", new[] { "m", "r" }, new[] { "y" });
}
