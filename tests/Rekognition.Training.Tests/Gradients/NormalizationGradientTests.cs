namespace Rekognition.Training.Tests.Gradients;

public class NormalizationGradientTests
{
    [Test]
    public void TrainingModeBatchNormMatchesFiniteDifferences()
    {
        var m = new TestModel()
            .Input("x", 3, 2, 3, 3)
            .Parameter("p", new long[] { 3, 2, 3, 3 })
            .Parameter("gamma", new long[] { 2 }, new[] { 1.2f, 0.7f })
            .Parameter("beta", new long[] { 2 })
            .Constant("mean", new[] { 0f, 0f }, new long[] { 2 })
            .Constant("var", new[] { 1f, 1f }, new long[] { 2 })
            .Node("BatchNormalization", new[] { "p", "gamma", "beta", "mean", "var" }, new[] { "b" })
            .Node("Mul", new[] { "b", "b" }, new[] { "sq" })
            .Node("Add", new[] { "sq", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void TrainingModeBatchNormOfOffsetInputThenReluMatchesFiniteDifferences()
    {
        // Channel means far from zero relative to the spread (the statistics come from E[x] and E[x²]).
        var m = new TestModel()
            .Input("x", 4, 3, 2, 2)
            .Parameter("p", new long[] { 4, 3, 2, 2 })
            .Parameter("gamma", new long[] { 3 }, new[] { 1.5f, -0.8f, 0.3f })
            .Parameter("beta", new long[] { 3 }, new[] { 0.1f, 0.2f, -0.3f })
            .Constant("offset", new[] { 6f, -4f, 0.5f }, new long[] { 3, 1, 1 })
            .Constant("mean", new[] { 0f, 0f, 0f }, new long[] { 3 })
            .Constant("var", new[] { 1f, 1f, 1f }, new long[] { 3 })
            .Node("Add", new[] { "p", "offset" }, new[] { "z" })
            .Node("BatchNormalization", new[] { "z", "gamma", "beta", "mean", "var" }, new[] { "b" }, TestModel.Float("epsilon", 1e-3f))
            .Node("Relu", new[] { "b" }, new[] { "r" })
            .Node("Mul", new[] { "r", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void TrainingModeBatchNormOfMatrixMatchesFiniteDifferences()
    {
        var m = new TestModel()
            .Input("x", 5, 3)
            .Parameter("p", new long[] { 5, 3 })
            .Parameter("gamma", new long[] { 3 }, new[] { 0.9f, 1.1f, 0f })
            .Parameter("beta", new long[] { 3 })
            .Constant("mean", new[] { 0f, 0f, 0f }, new long[] { 3 })
            .Constant("var", new[] { 1f, 1f, 1f }, new long[] { 3 })
            .Node("BatchNormalization", new[] { "p", "gamma", "beta", "mean", "var" }, new[] { "b" })
            .Node("Mul", new[] { "b", "b" }, new[] { "sq" })
            .Node("Add", new[] { "sq", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void BatchNormRunningStatisticsFollowTheBatch()
    {
        var m = new TestModel()
            .Input("x", 4, 1, 2, 2)
            .Parameter("gamma", new long[] { 1 }, new[] { 1f })
            .Parameter("beta", new long[] { 1 }, new[] { 0f })
            .Constant("mean", new[] { 0f }, new long[] { 1 })
            .Constant("var", new[] { 1f }, new long[] { 1 })
            .Node("BatchNormalization", new[] { "x", "gamma", "beta", "mean", "var" }, new[] { "y" }, TestModel.Float("momentum", 0.5f));
        var graph = Graphs.TrainingGraphBuilder.Build(m.Build("y"), m.Parameters, "y", new Losses.WeightedSumLoss(), m.InputShapes);
        using var session = new Runtime.TrainingGraphSession(graph, 1);
        var x = session.Input("x");
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = i; // 0..15: mean 7.5, unbiased variance 22.6667
        }

        session.Run();
        Assert.That(session.RunningStatistics["mean"][0], Is.EqualTo(0.5f * 7.5f).Within(1e-4));
        Assert.That(session.RunningStatistics["var"][0], Is.EqualTo((0.5f * 1f) + (0.5f * (340f / 15f))).Within(1e-3));
    }
}
