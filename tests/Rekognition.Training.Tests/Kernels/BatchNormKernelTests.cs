using Rekognition.Training.Graphs;
using Rekognition.Training.Kernels;
using Rekognition.Training.Losses;

namespace Rekognition.Training.Tests.Kernels;

/// <summary>
/// The batch-norm kernels, forward and backward (alone and fused with the following ReLU's), against the standard-op
/// formulation (within 1e-4) and finite differences; shapes and graphs it does not take keep the standard ops when the graph is built.
/// </summary>
public class BatchNormKernelTests
{
    [TestCase(true, 4, 5, 9, 7, TestName = "Batch norm + ReLU backward matches the standard ops")]
    [TestCase(false, 4, 5, 9, 7, TestName = "Batch norm backward matches the standard ops")]
    [TestCase(true, 3, 16, 3, 3, TestName = "Batch norm + ReLU backward matches the standard ops on small planes")]
    public void MatchesTheStandardOpsWithin1e4(bool relu, int batch, int channels, int height, int width)
    {
        var model = Model(relu, batch, channels, height, width);
        var custom = KernelOracle.Gradients(model, customKernels: true, out var customGraph);
        var standard = KernelOracle.Gradients(model, customKernels: false, out _);

        var expected = relu ? BatchNormGradientKernel.ReluName : BatchNormGradientKernel.PlainName;
        Assert.That(customGraph.Model.Graph.Node.Count(n => n.OpType == expected && n.Domain == TrainingKernels.Domain), Is.EqualTo(1));
        var forward = relu ? BatchNormForwardKernel.ReluName : BatchNormForwardKernel.Name;
        Assert.That(customGraph.Model.Graph.Node.Count(n => n.OpType == forward && n.Domain == TrainingKernels.Domain), Is.EqualTo(1));
        Assert.That(customGraph.Model.Graph.Node.Any(n => n.OpType == "Relu"), Is.False, "the ReLU runs inside the fused forward");
        KernelOracle.AssertClose(custom, standard);
    }

    [Test]
    public void TheForwardKernel_GivesTheStandardOpsLossAndRunningStatistics()
    {
        var model = Model(relu: true, 4, 5, 9, 7);
        var (customLoss, customStatistics) = Forward(model, customKernels: true);
        var (standardLoss, standardStatistics) = Forward(model, customKernels: false);

        Assert.That(customLoss, Is.EqualTo(standardLoss).Within(1e-4f * Math.Max(1, Math.Abs(standardLoss))));
        Assert.That(customStatistics.Keys, Is.EquivalentTo(standardStatistics.Keys));
        foreach (var (name, values) in standardStatistics)
        {
            Assert.That(customStatistics[name], Is.EqualTo(values).Within(1e-5f), name);
        }
    }

    [TestCase(true, TestName = "Batch norm + ReLU kernel matches finite differences")]
    [TestCase(false, TestName = "Batch norm kernel matches finite differences")]
    public void MatchesFiniteDifferences(bool relu) => GradientCheck.Verify(Model(relu, 3, 3, 4, 5), "y");

    [Test]
    public void AReluWhoseInputHasAnotherReaderIsNotFused()
    {
        var model = Model(relu: true, 2, 3, 4, 4).Node("Add", new[] { "b", "y" }, new[] { "y2" });
        var graph = TrainingGraphBuilder.Build(model.Build("y2"), model.Parameters, "y2", new WeightedSumLoss(), model.InputShapes);

        Assert.That(graph.Model.Graph.Node.Any(n => n.OpType == BatchNormGradientKernel.ReluName), Is.False);
        Assert.That(graph.Model.Graph.Node.Count(n => n.OpType == BatchNormGradientKernel.PlainName), Is.EqualTo(1));
        Assert.That(graph.Model.Graph.Node.Count(n => n.OpType == BatchNormForwardKernel.Name), Is.EqualTo(1));
        Assert.That(graph.Model.Graph.Node.Count(n => n.OpType == "Relu"), Is.EqualTo(1));
    }

    [TestCase(false, TestName = "Batch norm + residual Add + ReLU forward matches the standard ops")]
    [TestCase(true, TestName = "Batch norm + residual Add + ReLU forward matches the standard ops with a batch norm on both sides")]
    public void TheResidualForwardKernel_MatchesTheStandardOpsWithin1e4(bool normedShortcut)
    {
        var model = ResidualModel(4, 5, 9, 7, normedShortcut);
        var custom = KernelOracle.Gradients(model, customKernels: true, out var customGraph);
        var standard = KernelOracle.Gradients(model, customKernels: false, out _);
        var (customLoss, customStatistics) = Forward(model, customKernels: true);
        var (standardLoss, standardStatistics) = Forward(model, customKernels: false);

        var nodes = customGraph.Model.Graph.Node;
        Assert.That(nodes.Count(n => n.OpType == BatchNormForwardKernel.ResidualReluName && n.Domain == TrainingKernels.Domain), Is.EqualTo(1));
        Assert.That(nodes.Any(n => n.Output.Contains("r")), Is.False, "the residual Add runs inside the kernel");
        Assert.That(nodes.Any(n => n.OpType == "Relu"), Is.False, "the ReLU runs inside the kernel");
        KernelOracle.AssertClose(custom, standard);
        Assert.That(customLoss, Is.EqualTo(standardLoss).Within(1e-4f * Math.Max(1, Math.Abs(standardLoss))));
        foreach (var (name, values) in standardStatistics)
        {
            Assert.That(customStatistics[name], Is.EqualTo(values).Within(1e-5f), name);
        }
    }

    [Test]
    public void TheResidualForwardKernel_MatchesFiniteDifferences() => GradientCheck.Verify(ResidualModel(3, 3, 4, 5, normedShortcut: false), "y");

    [Test]
    public void ABroadcastResidualAddIsNotFused()
    {
        var model = Normed(2, 3, 4, 4)
            .Parameter("s", new long[] { 1, 3, 1, 1 })
            .Node("Add", new[] { "b", "s" }, new[] { "r" })
            .Node("Relu", new[] { "r" }, new[] { "y" });
        var graph = TrainingGraphBuilder.Build(model.Build("y"), model.Parameters, "y", new WeightedSumLoss(), model.InputShapes);

        Assert.That(graph.Model.Graph.Node.Any(n => n.OpType == BatchNormForwardKernel.ResidualReluName), Is.False);
        Assert.That(graph.Model.Graph.Node.Count(n => n.OpType == "Relu"), Is.EqualTo(1));
    }

    [Test]
    public void ARankTwoBatchNormKeepsTheStandardOpsWhenTheGraphIsBuilt()
    {
        var model = new TestModel()
            .Input("x", 5, 3)
            .Parameter("p", new long[] { 5, 3 })
            .Parameter("gamma", new long[] { 3 }, new[] { 0.9f, 1.1f, 0.5f })
            .Parameter("beta", new long[] { 3 })
            .Constant("mean", new[] { 0f, 0f, 0f }, new long[] { 3 })
            .Constant("var", new[] { 1f, 1f, 1f }, new long[] { 3 })
            .Node("Add", new[] { "x", "p" }, new[] { "a" })
            .Node("BatchNormalization", new[] { "a", "gamma", "beta", "mean", "var" }, new[] { "b" })
            .Node("Relu", new[] { "b" }, new[] { "y" });
        var graph = TrainingGraphBuilder.Build(model.Build("y"), model.Parameters, "y", new WeightedSumLoss(), model.InputShapes);

        // The ReLU's own backward kernel takes any shape; no batch-norm kernel may appear.
        Assert.That(graph.Model.Graph.Node.Any(n => n.Domain == TrainingKernels.Domain && n.OpType != ReluGradientKernel.Name), Is.False);
        GradientCheck.Verify(model, "y");
    }

    // One step's loss and the running statistics it leaves (2 threads, the oracle's fixed random data).
    private static (float Loss, Dictionary<string, float[]> Statistics) Forward(TestModel model, bool customKernels)
    {
        var graph = TrainingGraphBuilder.Build(model.Build("y"), model.Parameters, "y", new WeightedSumLoss(), model.InputShapes, customKernels: customKernels);
        using var session = new Rekognition.Training.Runtime.TrainingGraphSession(graph, threads: 2);
        var random = new Random(5);
        foreach (var name in graph.DataInputs.Concat(graph.LabelInputs))
        {
            var buffer = session.Input(name);
            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = (random.NextSingle() * 4) - 1;
            }
        }

        var loss = session.Run();
        return (loss, session.RunningStatistics.ToDictionary(p => p.Key, p => (float[])p.Value.Clone()));
    }

    // relu(batchnorm(x + p) + shortcut), the shortcut x·q or batchnorm(x·q): a residual block's end.
    private static TestModel ResidualModel(int batch, int channels, int height, int width, bool normedShortcut)
    {
        var model = Normed(batch, channels, height, width)
            .Parameter("q", new long[] { batch, channels, height, width })
            .Node("Mul", new[] { "x", "q" }, new[] { "s" });
        if (normedShortcut)
        {
            model = model
                .Parameter("gamma2", new long[] { channels }, 0.8f)
                .Parameter("beta2", new long[] { channels }, -0.2f)
                .Constant("mean2", new float[channels], new long[] { channels })
                .Constant("var2", Enumerable.Repeat(1f, channels).ToArray(), new long[] { channels })
                .Node("BatchNormalization", new[] { "s", "gamma2", "beta2", "mean2", "var2" }, new[] { "sn" })
                .Node("Add", new[] { "b", "sn" }, new[] { "r" });
        }
        else
        {
            model = model.Node("Add", new[] { "s", "b" }, new[] { "r" });
        }

        return model.Node("Relu", new[] { "r" }, new[] { "y" });
    }

    private static TestModel Model(bool relu, int batch, int channels, int height, int width)
    {
        var model = Normed(batch, channels, height, width);
        return relu ? model.Node("Relu", new[] { "b" }, new[] { "y" }) : model.Node("Mul", new[] { "b", "x" }, new[] { "y" });
    }

    // b = batchnorm(x + p), in training mode.
    internal static TestModel Normed(int batch, int channels, int height, int width)
    {
        var random = new Random(channels);
        var model = new TestModel(seed: channels + height)
            .Input("x", batch, channels, height, width)
            .Parameter("p", new long[] { batch, channels, height, width })
            .Parameter("gamma", new long[] { channels }, Enumerable.Range(0, channels).Select(_ => 0.5f + random.NextSingle()).ToArray())
            .Parameter("beta", new long[] { channels }, 0.3f)
            .Constant("mean", new float[channels], new long[] { channels })
            .Constant("var", Enumerable.Repeat(1f, channels).ToArray(), new long[] { channels })
            .Node("Add", new[] { "x", "p" }, new[] { "a" })
            .Node("BatchNormalization", new[] { "a", "gamma", "beta", "mean", "var" }, new[] { "b" });
        return model;
    }
}
