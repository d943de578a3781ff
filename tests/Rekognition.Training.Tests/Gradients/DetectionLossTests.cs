using Rekognition.Training.Losses;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Tests.Gradients;

/// <summary>
/// The detection losses on a model whose output is a parameter (y = p + x with x = 0): values against
/// straightforward C# computations, gradients against finite differences, and the degenerate cases.
/// </summary>
public class DetectionLossTests
{
    private static TestModel Direct(long[] shape, float[] values) => new TestModel()
        .Input("x", shape)
        .Parameter("p", shape, values)
        .Node("Add", new[] { "p", "x" }, new[] { "y" });

    private static float[] Uniform(int count, int seed, float low, float high)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(low + (random.NextDouble() * (high - low)))).ToArray();
    }

    /// <summary>Runs the loss once with the output set to <paramref name="predictions"/>; returns the loss and dLoss/dOutput.</summary>
    private static (float Loss, float[] Gradient) Run(TrainingLoss loss, long[] shape, float[] predictions, Action<TrainingGraphSession> fill)
    {
        var model = Direct(shape, predictions);
        var graph = Training.Graphs.TrainingGraphBuilder.Build(model.Build("y"), model.Parameters, "y", loss, model.InputShapes);
        using var session = new TrainingGraphSession(graph, threads: 1);
        fill(session);
        var value = session.Run();
        return (value, (float[])session.Gradient(0).Clone());
    }

    /// <summary>Finite-difference check of dLoss/dOutput; the fill zeroes x so the output is the parameter.</summary>
    private static void CheckGradient(TrainingLoss loss, long[] shape, float[] predictions, Action<TrainingGraphSession> fill) =>
        GradientCheck.Verify(Direct(shape, predictions), "y", loss: loss, samplesPerParameter: 64, fill: s =>
        {
            Array.Clear(s.Input("x"));
            fill(s);
        });

    private static double FocalElement(double z, double t, double? alpha, double gamma)
    {
        var ce = Math.Max(z, 0) - (z * t) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        var p = 1 / (1 + Math.Exp(-z));
        var pt = (p * t) + ((1 - p) * (1 - t));
        var loss = ce * Math.Pow(1 - pt, gamma);
        return alpha is { } a ? loss * ((a * t) + ((1 - a) * (1 - t))) : loss;
    }

    [TestCase(0.25f, 2f, false)]
    [TestCase(0.25f, 2f, true)]
    [TestCase(null, 1.5f, true)]
    [TestCase(0.75f, 0f, false)]
    public void FocalLossMatchesADirectComputation(float? alpha, float gamma, bool softTargets)
    {
        long[] shape = { 2, 3, 4 };
        var logits = Uniform(24, 1, -4f, 4f);
        var targets = Uniform(24, 2, 0f, 1f).Select(t => softTargets ? t : (t > 0.7f ? 1f : 0f)).ToArray();
        var (loss, _) = Run(new SigmoidFocalLoss(alpha, gamma), shape, logits, s => targets.CopyTo(s.Input(TargetLoss.TargetsInput), 0));
        var expected = logits.Select((z, i) => FocalElement(z, targets[i], alpha, gamma)).Average();
        Assert.That(loss, Is.EqualTo(expected).Within(1e-6 + (1e-5 * expected)));
    }

    [TestCase(0.25f, 2f, false)]
    [TestCase(null, 1.5f, true)]
    public void FocalLossGradientMatchesFiniteDifferences(float? alpha, float gamma, bool softTargets)
    {
        var targets = Uniform(24, 2, 0f, 1f).Select(t => softTargets ? t : (t > 0.7f ? 1f : 0f)).ToArray();
        var weights = Uniform(24, 3, 0f, 2f);
        CheckGradient(new SigmoidFocalLoss(alpha, gamma, LossReduction.SumOverNormalizer, weighted: true), new long[] { 2, 3, 4 }, Uniform(24, 1, -3f, 3f), s =>
        {
            targets.CopyTo(s.Input(TargetLoss.TargetsInput), 0);
            weights.CopyTo(s.Input(TargetLoss.WeightsInput), 0);
            s.Input(TargetLoss.NormalizerInput)[0] = 0.5f;
        });
    }

    [Test]
    public void WeightsAndNormalizerScaleTheFocalLoss()
    {
        long[] shape = { 3, 4 };
        var logits = Uniform(12, 4, -3f, 3f);
        var targets = Uniform(12, 5, 0f, 1f).Select(t => t > 0.5f ? 1f : 0f).ToArray();
        var weights = Uniform(12, 6, 0f, 1f).Select(w => w > 0.4f ? w : 0f).ToArray();
        var (loss, gradient) = Run(new SigmoidFocalLoss(reduction: LossReduction.SumOverNormalizer, weighted: true), shape, logits, s =>
        {
            targets.CopyTo(s.Input(TargetLoss.TargetsInput), 0);
            weights.CopyTo(s.Input(TargetLoss.WeightsInput), 0);
            s.Input(TargetLoss.NormalizerInput)[0] = 4f;
        });
        var expected = logits.Select((z, i) => weights[i] * FocalElement(z, targets[i], 0.25, 2)).Sum() / 4;
        Assert.That(loss, Is.EqualTo(expected).Within(1e-6));
        // A weight of 0 masks the element out of the gradient too.
        Assert.That(weights.Select((w, i) => w == 0f ? gradient[i] : 0f), Is.All.EqualTo(0f));
        Assert.That(gradient.Where((_, i) => weights[i] > 0f), Is.All.Not.EqualTo(0f));
    }

    [Test]
    public void AllZeroWeightsGiveZeroLossAndGradientNotNaN()
    {
        long[] shape = { 2, 4 };
        foreach (var loss in new TrainingLoss[]
        {
            new SigmoidFocalLoss(reduction: LossReduction.SumOverNormalizer, weighted: true),
            new SigmoidFocalLoss(reduction: LossReduction.Mean, weighted: true),
            new L1Loss(LossReduction.Mean, weighted: true),
        })
        {
            var (value, gradient) = Run(loss, shape, Uniform(8, 7, -2f, 2f), s =>
            {
                Uniform(8, 8, 0f, 1f).CopyTo(s.Input(TargetLoss.TargetsInput), 0);
                if (loss is TargetLoss { Reduction: LossReduction.SumOverNormalizer })
                {
                    s.Input(TargetLoss.NormalizerInput)[0] = 0f;
                }
            });
            Assert.That(value, Is.EqualTo(0f), loss.GetType().Name);
            Assert.That(gradient, Is.All.EqualTo(0f), loss.GetType().Name);
        }
    }

    [TestCase(0f)]
    [TestCase(0.5f)]
    [TestCase(1f)]
    public void SmoothL1MatchesADirectComputation(float beta)
    {
        var predictions = Uniform(24, 9, -2f, 2f);
        var targets = Uniform(24, 10, -2f, 2f);
        var (loss, _) = Run(new SmoothL1Loss(beta), new long[] { 4, 6 }, predictions, s => targets.CopyTo(s.Input(TargetLoss.TargetsInput), 0));
        var expected = predictions.Select((p, i) =>
        {
            var d = Math.Abs(p - (double)targets[i]);
            return d < beta ? 0.5 * d * d / beta : d - (0.5 * beta);
        }).Average();
        Assert.That(loss, Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void L1MatchesADirectComputation()
    {
        var predictions = Uniform(24, 11, -2f, 2f);
        var targets = Uniform(24, 12, -2f, 2f);
        var (loss, _) = Run(new L1Loss(LossReduction.Sum), new long[] { 4, 6 }, predictions, s => targets.CopyTo(s.Input(TargetLoss.TargetsInput), 0));
        Assert.That(loss, Is.EqualTo(predictions.Select((p, i) => Math.Abs(p - (double)targets[i])).Sum()).Within(1e-5));
    }

    [TestCase(0f)]
    [TestCase(0.5f)]
    public void SmoothL1AndL1GradientsMatchFiniteDifferences(float beta)
    {
        // Residuals are kept at least 0.02 away from 0 and from ±β, the kinks.
        var predictions = Uniform(24, 13, -2f, 2f);
        var residuals = Uniform(24, 14, 0.03f, 1.5f);
        var targets = predictions.Select((p, i) =>
        {
            var r = residuals[i] * (i % 2 == 0 ? 1 : -1);
            return Math.Abs(Math.Abs(r) - beta) < 0.02f ? p - (r * 1.2f) : p - r;
        }).ToArray();
        var weights = Uniform(24, 15, 0.5f, 1.5f);
        CheckGradient(new SmoothL1Loss(beta, LossReduction.Sum, weighted: true), new long[] { 4, 6 }, predictions, s =>
        {
            targets.CopyTo(s.Input(TargetLoss.TargetsInput), 0);
            weights.CopyTo(s.Input(TargetLoss.WeightsInput), 0);
        });
    }

    private static double GIoU(ReadOnlySpan<float> p, ReadOnlySpan<float> t)
    {
        const double eps = 1e-7;
        var areaP = (p[2] - p[0]) * (double)(p[3] - p[1]);
        var areaT = (t[2] - t[0]) * (double)(t[3] - t[1]);
        var w = Math.Max(0, Math.Min(p[2], t[2]) - (double)Math.Max(p[0], t[0]));
        var h = Math.Max(0, Math.Min(p[3], t[3]) - (double)Math.Max(p[1], t[1]));
        var inter = w * h;
        var union = areaP + areaT - inter;
        var c = (Math.Max(p[2], t[2]) - (double)Math.Min(p[0], t[0])) * (Math.Max(p[3], t[3]) - (double)Math.Min(p[1], t[1]));
        return (inter / (union + eps)) - ((c - union) / (c + eps));
    }

    /// <summary>Random boxes [count, 4] with corners 0.5–2 apart, and targets whose every coordinate differs by 0.05–0.4.</summary>
    private static (float[] Predicted, float[] Target) Boxes(int count, int seed)
    {
        var random = new Random(seed);
        var predicted = new float[count * 4];
        var target = new float[count * 4];
        for (var b = 0; b < count; b++)
        {
            var (x, y) = ((float)(random.NextDouble() * 4), (float)(random.NextDouble() * 4));
            var (w, h) = ((float)(0.5 + (random.NextDouble() * 1.5)), (float)(0.5 + (random.NextDouble() * 1.5)));
            float[] box = { x, y, x + w, y + h };
            box.CopyTo(predicted, b * 4);
            for (var k = 0; k < 4; k++)
            {
                var offset = (float)(0.05 + (random.NextDouble() * 0.35)) * (random.Next(2) == 0 ? 1 : -1);
                target[(b * 4) + k] = box[k] + offset;
            }
        }

        return (predicted, target);
    }

    [Test]
    public void GIoUMatchesADirectComputation()
    {
        var (predicted, target) = Boxes(6, 16);
        // Box 4: disjoint from its target; box 5: identical to it.
        float[] far = { 10f, 10f, 11f, 12f };
        far.CopyTo(target, 16);
        predicted.AsSpan(20, 4).CopyTo(target.AsSpan(20, 4));
        var (loss, _) = Run(new GeneralizedIoULoss(LossReduction.Sum), new long[] { 2, 3, 4 }, predicted, s => target.CopyTo(s.Input(TargetLoss.TargetsInput), 0));
        var perBox = Enumerable.Range(0, 6).Select(b => 1 - GIoU(predicted.AsSpan(b * 4, 4), target.AsSpan(b * 4, 4))).ToArray();
        Assert.That(perBox[4], Is.GreaterThan(1), "the disjoint pair has a negative GIoU");
        Assert.That(perBox[5], Is.EqualTo(0).Within(1e-6), "the identical pair has GIoU 1");
        Assert.That(loss, Is.EqualTo(perBox.Sum()).Within(1e-5));
    }

    [Test]
    public void GIoUGradientMatchesFiniteDifferences()
    {
        var (predicted, target) = Boxes(6, 17);
        // One disjoint pair: only the enclosing-box term has a gradient there.
        float[] far = { 8f, 9f, 9.5f, 10f };
        far.CopyTo(target, 0);
        var weights = new[] { 1f, 0.5f, 2f, 1f, 0f, 1f };
        CheckGradient(new GeneralizedIoULoss(LossReduction.Sum, weighted: true), new long[] { 6, 4 }, predicted, s =>
        {
            target.CopyTo(s.Input(TargetLoss.TargetsInput), 0);
            weights.CopyTo(s.Input(TargetLoss.WeightsInput), 0);
        });
    }

    [Test]
    public void GIoUOfIdenticalAndDegenerateBoxesIsFinite()
    {
        // Identical boxes, then two zero-area boxes at one point (union and enclosure both 0).
        float[] boxes = { 1f, 1f, 2f, 3f, 5f, 5f, 5f, 5f };
        var (loss, gradient) = Run(new GeneralizedIoULoss(LossReduction.Sum), new long[] { 2, 4 }, boxes, s => boxes.CopyTo(s.Input(TargetLoss.TargetsInput), 0));
        Assert.That(float.IsFinite(loss), Is.True);
        Assert.That(loss, Is.EqualTo(1f).Within(1e-5), "identical boxes lose 0; the degenerate pair has GIoU 0");
        Assert.That(gradient.All(float.IsFinite), Is.True);
    }

    [Test]
    public void GIoUMeanOverMaskedBoxesIgnoresMaskedOnes()
    {
        var (predicted, target) = Boxes(4, 18);
        float[] mask = { 1f, 0f, 1f, 0f };
        var (loss, gradient) = Run(new GeneralizedIoULoss(LossReduction.Mean, weighted: true), new long[] { 4, 4 }, predicted, s =>
        {
            target.CopyTo(s.Input(TargetLoss.TargetsInput), 0);
            mask.CopyTo(s.Input(TargetLoss.WeightsInput), 0);
        });
        var expected = (2 - GIoU(predicted.AsSpan(0, 4), target.AsSpan(0, 4)) - GIoU(predicted.AsSpan(8, 4), target.AsSpan(8, 4))) / 2;
        Assert.That(loss, Is.EqualTo(expected).Within(1e-5));
        Assert.That(gradient.AsSpan(4, 4).ToArray().Concat(gradient.AsSpan(12, 4).ToArray()), Is.All.EqualTo(0f));
    }

    [Test]
    public void InvalidParametersAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SigmoidFocalLoss(alpha: 1.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SigmoidFocalLoss(gamma: -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SmoothL1Loss(beta: -0.1f));
    }

    [Test]
    public void GIoUNeedsBoxesInTheLastAxis()
    {
        var model = Direct(new long[] { 2, 3 }, new float[6]);
        Assert.Throws<NotSupportedException>(() => Training.Graphs.TrainingGraphBuilder.Build(model.Build("y"), model.Parameters, "y", new GeneralizedIoULoss(), model.InputShapes));
    }
}
