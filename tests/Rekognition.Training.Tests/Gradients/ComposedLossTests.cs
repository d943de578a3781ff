using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Tests.Gradients;

/// <summary>
/// A YOLOX-style detection loss composed from <see cref="LossTerms"/> on an output [N, L, 5 + C]: the box
/// parameters decoded with grid constants and Exp, GIoU on foreground boxes, BCE on objectness everywhere
/// and on classes of the foreground, over the number of foreground boxes. It checks that the building
/// blocks compose and that the whole is differentiated correctly.
/// </summary>
public class ComposedLossTests
{
    private const int N = 2, L = 6, C = 2;
    private const float Stride = 8f;

    /// <summary>The composed loss, as the coordinator's detection loss would be written.</summary>
    private sealed class YoloxStyleLoss : DifferentiableLoss
    {
        internal override string EmitForward(GraphEmitter e, string output, long[] outputShape, List<ValueInfoProto> inputs)
        {
            inputs.Add(OnnxTensors.ValueInfo("box_targets", OnnxTensors.Float, new long[] { N, L, 4 }));
            inputs.Add(OnnxTensors.ValueInfo("obj_targets", OnnxTensors.Float, new long[] { N, L, 1 }));
            inputs.Add(OnnxTensors.ValueInfo("cls_targets", OnnxTensors.Float, new long[] { N, L, C }));
            inputs.Add(OnnxTensors.ValueInfo("fg_mask", OnnxTensors.Float, new long[] { N, L }));
            inputs.Add(OnnxTensors.ValueInfo("num_fg", OnnxTensors.Float, Array.Empty<long>()));

            var grid = e.Floats("grid", Grid(), new long[] { 1, L, 2 });
            var stride = e.Scalar(Stride);
            var centre = e.Mul(e.Add(LossTerms.LastAxisSlice(e, output, 0, 2), grid), stride);
            var half = e.Mul(e.Op("Exp", new[] { LossTerms.LastAxisSlice(e, output, 2, 4) }), e.Scalar(Stride / 2));
            var boxes = e.Op("Concat", new[] { e.Sub(centre, half), e.Add(centre, half) }, OnnxAttributes.Int("axis", -1));

            var iou = e.Mul(LossTerms.GeneralizedIoULoss(e, boxes, "box_targets"), "fg_mask");
            var objectness = LossTerms.BinaryCrossEntropyWithLogits(e, LossTerms.LastAxisSlice(e, output, 4, 5), "obj_targets");
            var foreground = e.Op("Unsqueeze", new[] { "fg_mask", e.Int64s(-1) });
            var classes = e.Mul(LossTerms.BinaryCrossEntropyWithLogits(e, LossTerms.LastAxisSlice(e, output, 5, 5 + C), "cls_targets"), foreground);
            var total = e.Op("Sum", new[] { e.Mul(LossTerms.SumAll(e, iou), e.Scalar(5f)), LossTerms.SumAll(e, objectness), LossTerms.SumAll(e, classes) });
            return LossTerms.SafeDivide(e, total, "num_fg");
        }
    }

    /// <summary>Grid cell (x, y) of each of the L positions, a 3×2 map.</summary>
    private static float[] Grid() => Enumerable.Range(0, L).SelectMany(i => new[] { (float)(i % 3), (float)(i / 3) }).ToArray();

    private static float[] Uniform(int count, int seed, float low, float high)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(low + (random.NextDouble() * (high - low)))).ToArray();
    }

    private static float[] Decode(float[] output)
    {
        var grid = Grid();
        var boxes = new float[N * L * 4];
        for (var b = 0; b < N * L; b++)
        {
            var o = output.AsSpan(b * (5 + C));
            var l = b % L;
            var (cx, cy) = ((o[0] + grid[2 * l]) * Stride, (o[1] + grid[(2 * l) + 1]) * Stride);
            var (hw, hh) = (MathF.Exp(o[2]) * Stride / 2, MathF.Exp(o[3]) * Stride / 2);
            new[] { cx - hw, cy - hh, cx + hw, cy + hh }.CopyTo(boxes, b * 4);
        }

        return boxes;
    }

    private static double GIoU(ReadOnlySpan<float> p, ReadOnlySpan<float> t)
    {
        var w = Math.Max(0, Math.Min(p[2], t[2]) - (double)Math.Max(p[0], t[0]));
        var h = Math.Max(0, Math.Min(p[3], t[3]) - (double)Math.Max(p[1], t[1]));
        var union = ((p[2] - p[0]) * (double)(p[3] - p[1])) + ((t[2] - t[0]) * (double)(t[3] - t[1])) - (w * h);
        var c = (Math.Max(p[2], t[2]) - (double)Math.Min(p[0], t[0])) * (Math.Max(p[3], t[3]) - (double)Math.Min(p[1], t[1]));
        return (w * h / union) - ((c - union) / c);
    }

    private static double Bce(double z, double t) => Math.Max(z, 0) - (z * t) + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    private static (float[] Output, float[] Boxes, float[] Objectness, float[] Classes, float[] Foreground) Sample()
    {
        var output = Uniform(N * L * (5 + C), 21, -0.5f, 0.5f);
        var decoded = Decode(output);
        // Target boxes overlap the decoded ones with every corner 0.4–2.4 pixels apart (away from GIoU's kinks).
        var offsets = Uniform(decoded.Length, 22, 0.05f, 0.3f);
        var boxes = decoded.Select((v, i) => v + (offsets[i] * Stride * (i % 3 == 0 ? -1 : 1))).ToArray();
        float[] foreground = { 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0 };
        var objectness = foreground.ToArray();
        var classes = Enumerable.Range(0, N * L * C).Select(i => foreground[i / C] * ((i % C) == (i / C) % C ? 0.8f : 0f)).ToArray();
        return (output, boxes, objectness, classes, foreground);
    }

    private static void Fill(TrainingGraphSession s, (float[] Output, float[] Boxes, float[] Objectness, float[] Classes, float[] Foreground) sample)
    {
        Array.Clear(s.Input("x"));
        sample.Boxes.CopyTo(s.Input("box_targets"), 0);
        sample.Objectness.CopyTo(s.Input("obj_targets"), 0);
        sample.Classes.CopyTo(s.Input("cls_targets"), 0);
        sample.Foreground.CopyTo(s.Input("fg_mask"), 0);
        s.Input("num_fg")[0] = sample.Foreground.Sum();
    }

    private static TestModel Model(float[] output) => new TestModel()
        .Input("x", N, L, 5 + C)
        .Parameter("p", new long[] { N, L, 5 + C }, output)
        .Node("Add", new[] { "p", "x" }, new[] { "y" });

    [Test]
    public void ComposedLossMatchesADirectComputation()
    {
        var sample = Sample();
        var model = Model(sample.Output);
        var graph = TrainingGraphBuilder.Build(model.Build("y"), model.Parameters, "y", new YoloxStyleLoss(), model.InputShapes);
        Assert.That(graph.LabelInputs, Is.EqualTo(new[] { "box_targets", "obj_targets", "cls_targets", "fg_mask", "num_fg" }));
        using var session = new TrainingGraphSession(graph, threads: 1);
        Fill(session, sample);
        var loss = session.Run();

        var decoded = Decode(sample.Output);
        double total = 0;
        for (var b = 0; b < N * L; b++)
        {
            var o = sample.Output.AsSpan(b * (5 + C));
            total += 5 * sample.Foreground[b] * (1 - GIoU(decoded.AsSpan(b * 4, 4), sample.Boxes.AsSpan(b * 4, 4)));
            total += Bce(o[4], sample.Objectness[b]);
            for (var c = 0; c < C; c++)
            {
                total += sample.Foreground[b] * Bce(o[5 + c], sample.Classes[(b * C) + c]);
            }
        }

        var expected = total / sample.Foreground.Sum();
        Assert.That(loss, Is.EqualTo(expected).Within(1e-5 * expected));
        // Background boxes get no box or class gradient, only the objectness one.
        var gradient = session.Gradient(0);
        for (var b = 0; b < N * L; b++)
        {
            var g = gradient.AsSpan(b * (5 + C), 5 + C).ToArray();
            Assert.That(g[4], Is.Not.EqualTo(0f), $"objectness of box {b}");
            if (sample.Foreground[b] == 0f)
            {
                Assert.That(g.Take(4).Concat(g.Skip(5)), Is.All.EqualTo(0f), $"background box {b}");
            }
        }
    }

    [Test]
    public void ComposedLossGradientMatchesFiniteDifferences()
    {
        var sample = Sample();
        GradientCheck.Verify(Model(sample.Output), "y", loss: new YoloxStyleLoss(), samplesPerParameter: 84, fill: s => Fill(s, sample));
    }
}
