namespace Rekognition.Training.Tests.Gradients;

/// <summary>Gather and GatherElements (repeated and negative indices accumulate) against finite differences.</summary>
public class GatherGradientTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(-1)]
    public void GatherWithRepeatedAndNegativeIndicesMatchesFiniteDifferences(int axis)
    {
        // p [3, 4, 5]; indices [2, 2] hold a repeat and a negative index on every axis tried.
        long[] xs = { 3, 4, 5 };
        var a = axis < 0 ? axis + 3 : axis;
        var outShape = xs[..a].Concat(new long[] { 2, 2 }).Concat(xs[(a + 1)..]).ToArray();
        var m = new TestModel()
            .Input("x", outShape)
            .Parameter("p", xs)
            .Int64Tensor("i", new long[] { 0, 2, -1, 0 }, new long[] { 2, 2 })
            .Node("Gather", new[] { "p", "i" }, new[] { "g" }, TestModel.Int("axis", axis))
            .Node("Mul", new[] { "g", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y", samplesPerParameter: 60);
    }

    [Test]
    public void GatherWithAScalarIndexMatchesFiniteDifferences()
    {
        // x[:, 1]: the scalar index drops the axis.
        var m = new TestModel()
            .Input("x", 3, 5)
            .Parameter("p", new long[] { 3, 4, 5 })
            .Int64Tensor("i", new long[] { 1 }, Array.Empty<long>())
            .Node("Gather", new[] { "p", "i" }, new[] { "g" }, TestModel.Int("axis", 1))
            .Node("Mul", new[] { "g", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y", samplesPerParameter: 60);
    }

    [Test]
    public void GatherElementsMatchesFiniteDifferences()
    {
        var m = new TestModel()
            .Input("x", 3, 2)
            .Parameter("p", new long[] { 3, 4 })
            .Int64Tensor("i", new long[] { 0, 0, 3, 1, -1, 2 }, new long[] { 3, 2 })
            .Node("GatherElements", new[] { "p", "i" }, new[] { "g" }, TestModel.Int("axis", 1))
            .Node("Mul", new[] { "g", "x" }, new[] { "y" });
        GradientCheck.Verify(m, "y");
    }
}
