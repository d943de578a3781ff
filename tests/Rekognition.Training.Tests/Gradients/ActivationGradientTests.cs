namespace Rekognition.Training.Tests.Gradients;

public class ActivationGradientTests
{
    private static TestModel Unary(string op, params Onnx.Ir.AttributeProto[] attributes) =>
        new TestModel()
            .Input("x", 2, 3, 4)
            .SpacedParameter("p", new long[] { 2, 3, 4 }, 0.25f)
            .Node(op, new[] { "p" }, new[] { "u" }, attributes)
            .Node("Add", new[] { "u", "x" }, new[] { "y" });

    [TestCase("Relu")]
    [TestCase("Sigmoid")]
    [TestCase("Tanh")]
    [TestCase("HardSwish")]
    public void UnaryMatchesFiniteDifferences(string op) => GradientCheck.Verify(Unary(op), "y");

    [Test]
    public void LeakyReluMatchesFiniteDifferences() => GradientCheck.Verify(Unary("LeakyRelu", TestModel.Float("alpha", 0.1f)), "y");

    [Test]
    public void HardSigmoidMatchesFiniteDifferences() => GradientCheck.Verify(Unary("HardSigmoid", TestModel.Float("alpha", 0.3f), TestModel.Float("beta", 0.5f)), "y");

    [Test]
    public void SoftmaxMatchesFiniteDifferences() => GradientCheck.Verify(Unary("Softmax", TestModel.Int("axis", 1)), "y");

    [Test]
    public void LogSoftmaxMatchesFiniteDifferences() => GradientCheck.Verify(Unary("LogSoftmax", TestModel.Int("axis", -1)), "y");

    [Test]
    public void ClipAsRelu6MatchesFiniteDifferences()
    {
        var m = new TestModel()
            .Input("x", 2, 3, 4)
            .SpacedParameter("p", new long[] { 2, 3, 4 }, 0.7f)
            .Constant("lo", new[] { 0f }, Array.Empty<long>())
            .Constant("hi", new[] { 6f }, Array.Empty<long>())
            .Node("Clip", new[] { "p", "lo", "hi" }, new[] { "u" })
            .Node("Add", new[] { "u", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }
}
