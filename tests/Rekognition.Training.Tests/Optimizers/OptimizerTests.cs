using Rekognition.Training.Optimizers;

namespace Rekognition.Training.Tests.Optimizers;

public class OptimizerTests
{
    // 37 elements: four 8-wide vectors and a scalar tail.
    private const int Size = 37;

    private static float[] Values(int seed, float scale)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, Size).Select(_ => (float)(((r.NextDouble() * 2) - 1) * scale)).ToArray();
    }

    [Test]
    public void SgdWithoutMomentumStepsAgainstTheGradient()
    {
        var p = new[] { 1f, -2f, 3f };
        var sgd = new SgdOptimizer(new[] { 3 });
        sgd.Step(new[] { p }, new[] { new[] { 0.5f, 1f, -1f } }, 0.1f);
        Assert.That(p, Is.EqualTo(new[] { 0.95f, -2.1f, 3.1f }).Within(1e-6));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void SgdMomentumMatchesHandComputedSteps(bool nesterov)
    {
        const float lr = 0.1f, mu = 0.9f, wd = 0.01f;
        var p = Values(1, 1f);
        var expected = p.Select(v => (double)v).ToArray();
        var velocity = new double[Size];
        var sgd = new SgdOptimizer(new[] { Size }, mu, nesterov, wd);
        for (var step = 0; step < 3; step++)
        {
            var g = Values(10 + step, 0.5f);
            sgd.Step(new[] { p }, new[] { g }, lr);
            for (var i = 0; i < Size; i++)
            {
                var gi = g[i] + (wd * expected[i]);
                velocity[i] = (mu * velocity[i]) + gi;
                expected[i] -= lr * (nesterov ? gi + (mu * velocity[i]) : velocity[i]);
            }
        }

        Assert.That(p, Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void AdamFirstStepMovesEachParameterByTheLearningRate()
    {
        // At step 1 the bias-corrected m/√v is sign(g), so every element moves by lr (minus ε effects).
        var p = new float[Size];
        var g = Values(2, 3f);
        var adam = new AdamWOptimizer(new[] { Size }, weightDecay: 0f);
        adam.Step(new[] { p }, new[] { g }, 0.01f);
        for (var i = 0; i < Size; i++)
        {
            Assert.That(p[i], Is.EqualTo(-0.01f * Math.Sign(g[i])).Within(1e-6), $"p[{i}]");
        }
    }

    [Test]
    public void AdamWMatchesHandComputedSteps()
    {
        const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
        var p = Values(3, 1f);
        var expected = p.Select(v => (double)v).ToArray();
        var m = new double[Size];
        var v = new double[Size];
        var adam = new AdamWOptimizer(new[] { Size }, (float)b1, (float)b2, (float)eps, (float)wd);
        for (var t = 1; t <= 4; t++)
        {
            var g = Values(20 + t, 0.5f);
            adam.Step(new[] { p }, new[] { g }, (float)lr);
            for (var i = 0; i < Size; i++)
            {
                expected[i] *= 1 - (lr * wd);
                m[i] = (b1 * m[i]) + ((1 - b1) * g[i]);
                v[i] = (b2 * v[i]) + ((1 - b2) * g[i] * g[i]);
                var mhat = m[i] / (1 - Math.Pow(b1, t));
                var vhat = v[i] / (1 - Math.Pow(b2, t));
                expected[i] -= lr * mhat / (Math.Sqrt(vhat) + eps);
            }
        }

        Assert.That(p, Is.EqualTo(expected).Within(2e-6));
        Assert.That(adam.Steps, Is.EqualTo(4));
    }

    [Test]
    public void StepRejectsMismatchedSizes() =>
        Assert.Throws<ArgumentException>(() => new AdamWOptimizer(new[] { 3 }).Step(new[] { new float[2] }, new[] { new float[2] }, 0.1f));

    [Test]
    public void WarmupCosineRisesLinearlyThenDecaysToTheFloor()
    {
        var s = new WarmupCosineSchedule(1f, warmupSteps: 10, totalSteps: 110, floorRate: 0.1f);
        Assert.That(s.RateAt(1), Is.EqualTo(0.1f).Within(1e-6));
        Assert.That(s.RateAt(5), Is.EqualTo(0.5f).Within(1e-6));
        Assert.That(s.RateAt(10), Is.EqualTo(1f).Within(1e-6));
        Assert.That(s.RateAt(60), Is.EqualTo(0.55f).Within(1e-6)); // halfway down the cosine
        Assert.That(s.RateAt(110), Is.EqualTo(0.1f).Within(1e-6));
        Assert.That(s.RateAt(35), Is.EqualTo(0.1 + (0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.25)))).Within(1e-6));
    }

    [Test]
    public void GlobalNormClippingScalesAllGradientsByOneFactor()
    {
        var a = new[] { 3f, 0f };
        var b = new[] { 0f, 4f, 0f };
        var norm = GradientClipping.ClipGlobalNorm(new[] { a, b }, 1f);
        Assert.That(norm, Is.EqualTo(5f).Within(1e-6));
        Assert.That(a[0], Is.EqualTo(0.6f).Within(1e-5));
        Assert.That(b[1], Is.EqualTo(0.8f).Within(1e-5));

        var c = new[] { 0.3f, 0.4f };
        Assert.That(GradientClipping.ClipGlobalNorm(new[] { c }, 1f), Is.EqualTo(0.5f).Within(1e-6));
        Assert.That(c, Is.EqualTo(new[] { 0.3f, 0.4f }));
    }
}
