using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Tests.Gradients;

public class DropoutGradientTests
{
    [Test]
    public void TrainingDropoutScalesKeptGradientsAndZeroesDropped()
    {
        const float ratio = 0.25f;
        var m = new TestModel()
            .Input("x", 64, 32)
            .Parameter("p", new long[] { 64, 32 })
            .Constant("ratio", new[] { ratio }, Array.Empty<long>())
            .Node("Dropout", new[] { "p", "ratio" }, new[] { "d" })
            .Node("Add", new[] { "d", "x" }, new[] { "y" });
        var graph = TrainingGraphBuilder.Build(m.Build("y"), m.Parameters, "y", new WeightedSumLoss(), m.InputShapes);
        using var session = new TrainingGraphSession(graph, 1);
        var weights = session.Input(WeightedSumLoss.WeightsInput);
        Array.Fill(weights, 2f);
        session.Run();
        var g = session.Gradient(0);
        var dropped = g.Count(v => v == 0f);
        Assert.That(g.All(v => v == 0f || Math.Abs(v - (2f / (1f - ratio))) < 1e-5f), Is.True);
        Assert.That(dropped / (double)g.Length, Is.EqualTo(ratio).Within(0.05));
    }

    [Test]
    public void InferenceModeDropoutIsIdentity()
    {
        var m = new TestModel()
            .Input("x", 2, 3)
            .Parameter("p", new long[] { 2, 3 })
            .Constant("ratio", new[] { 0.5f }, Array.Empty<long>())
            .Node("Dropout", new[] { "p", "ratio" }, new[] { "d" })
            .Node("Add", new[] { "d", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y", trainingMode: false);
    }
}
