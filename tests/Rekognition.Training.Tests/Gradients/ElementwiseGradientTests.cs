namespace Rekognition.Training.Tests.Gradients;

public class ElementwiseGradientTests
{
    [TestCase("Add")]
    [TestCase("Sub")]
    [TestCase("Mul")]
    [TestCase("Div")]
    public void BroadcastBinaryMatchesFiniteDifferences(string op)
    {
        var m = new TestModel()
            .Input("x", 2, 3, 4)
            .Parameter("a", new long[] { 2, 3, 4 })
            // b broadcasts over the batch and the last axis; kept away from 0 for Div.
            .Parameter("b", new long[] { 3, 1 }, new[] { 1.5f, -0.8f, 2.2f })
            .Node(op, new[] { "a", "b" }, new[] { "u" })
            .Node("Add", new[] { "u", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }

    [Test]
    public void FanOutSumsGradients()
    {
        // p feeds three nodes (and Mul twice): y = p·p + relu-free p·w + p.
        var m = new TestModel()
            .Input("x", 3, 4)
            .Parameter("p", new long[] { 3, 4 })
            .Parameter("w", new long[] { 4 })
            .Node("Mul", new[] { "p", "p" }, new[] { "sq" })
            .Node("Mul", new[] { "p", "w" }, new[] { "pw" })
            .Node("Add", new[] { "sq", "pw" }, new[] { "s" })
            .Node("Add", new[] { "s", "p" }, new[] { "t" })
            .Node("Add", new[] { "t", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }
}
