using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;

namespace Rekognition.Training.Tests.Gradients;

/// <summary>Resize's backward against finite differences of ONNX Runtime's own forward, per mode and coordinate transform.</summary>
public class ResizeGradientTests
{
    /// <summary>y = Resize(p) + x with p [1, 2, 3, 4], by scales or (with <paramref name="sizes"/>) by output size.</summary>
    private static TestModel Model(long[] outShape, string mode, string transform, string nearestMode, float[]? scales, bool sizes)
    {
        var m = new TestModel()
            .Input("x", outShape)
            .Parameter("p", new long[] { 1, 2, 3, 4 });
        string[] inputs;
        if (sizes)
        {
            m.Int64Constant("sizes", outShape);
            inputs = new[] { "p", "", "", "sizes" };
        }
        else
        {
            m.Constant("scales", scales!, new long[] { 4 });
            inputs = new[] { "p", "", "scales" };
        }

        return m.Node("Resize", inputs, new[] { "r" },
                Training.Graphs.OnnxAttributes.String("mode", mode),
                Training.Graphs.OnnxAttributes.String("coordinate_transformation_mode", transform),
                Training.Graphs.OnnxAttributes.String("nearest_mode", nearestMode))
            .Node("Add", new[] { "r", "x" }, new[] { "y" });
    }

    // PyTorch's nn.Upsample(scale_factor=2, mode="nearest") export, and integer factors per axis.
    [TestCase("nearest", "asymmetric", "floor", 2f, 2f, false)]
    [TestCase("nearest", "asymmetric", "floor", 3f, 2f, false)]
    [TestCase("nearest", "half_pixel", "round_prefer_floor", 2f, 2f, true)]
    // Integer factors whose index map is not a plain repeat, and non-integer sizes: the matrix path.
    [TestCase("nearest", "asymmetric", "round_prefer_floor", 3f, 3f, false)]
    [TestCase("nearest", "half_pixel", "round_prefer_floor", 1.75f, 1.5f, true)]
    [TestCase("linear", "half_pixel", "round_prefer_floor", 2f, 2f, false)]
    [TestCase("linear", "pytorch_half_pixel", "round_prefer_floor", 2f, 3f, false)]
    [TestCase("linear", "align_corners", "round_prefer_floor", 2f, 2f, true)]
    [TestCase("linear", "asymmetric", "round_prefer_floor", 2f, 1.5f, true)]
    public void ResizeMatchesFiniteDifferences(string mode, string transform, string nearestMode, float scaleH, float scaleW, bool sizes)
    {
        long[] outShape = { 1, 2, (long)(3 * scaleH), (long)(4 * scaleW) };
        var m = Model(outShape, mode, transform, nearestMode, new[] { 1f, 1f, scaleH, scaleW }, sizes);
        GradientCheck.Verify(m, "y", samplesPerParameter: 24);
    }

    [Test]
    public void NearestUpsamplingSumsEachBlock()
    {
        // With weights w, dL/dp[i, j] is the sum of w over the 2×2 block p[i, j] was copied to.
        var m = Model(new long[] { 1, 2, 6, 8 }, "nearest", "asymmetric", "floor", new[] { 1f, 1f, 2f, 2f }, sizes: false);
        var graph = TrainingGraphBuilder.Build(m.Build("y"), m.Parameters, "y", new WeightedSumLoss(), m.InputShapes);
        using var session = new Training.Runtime.TrainingGraphSession(graph, 1);
        var w = session.Input(WeightedSumLoss.WeightsInput);
        for (var i = 0; i < w.Length; i++)
        {
            w[i] = i;
        }

        session.Run();
        var gradient = session.Gradient(0);
        for (var c = 0; c < 2; c++)
        {
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 4; j++)
                {
                    float Weight(int y, int x) => w[(c * 48) + (y * 8) + x];
                    var expected = Weight(2 * i, 2 * j) + Weight(2 * i, (2 * j) + 1) + Weight((2 * i) + 1, 2 * j) + Weight((2 * i) + 1, (2 * j) + 1);
                    Assert.That(gradient[(c * 12) + (i * 4) + j], Is.EqualTo(expected), $"c={c} i={i} j={j}");
                }
            }
        }
    }

    [Test]
    public void CubicResizeIsRejected()
    {
        var m = Model(new long[] { 1, 2, 6, 8 }, "cubic", "half_pixel", "round_prefer_floor", new[] { 1f, 1f, 2f, 2f }, sizes: false);
        Assert.Throws<NotSupportedException>(() => TrainingGraphBuilder.Build(m.Build("y"), m.Parameters, "y", new WeightedSumLoss(), m.InputShapes));
    }
}
