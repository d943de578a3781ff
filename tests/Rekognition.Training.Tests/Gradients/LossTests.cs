using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Tests.Gradients;

public class LossTests
{
    private static (TrainingGraphSession Session, TrainingGraph Graph) Head(TrainingLoss loss, int n, int k)
    {
        var m = new TestModel()
            .Input("x", n, 3)
            .Parameter("w", new long[] { 3, k })
            .Parameter("b", new long[] { k })
            .Node("Gemm", new[] { "x", "w", "b" }, new[] { "logits" });
        var graph = TrainingGraphBuilder.Build(m.Build("logits"), m.Parameters, "logits", loss, m.InputShapes);
        var session = new TrainingGraphSession(graph, 1);
        var random = new Random(3);
        var x = session.Input("x");
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return (session, graph);
    }

    [TestCase(0f)]
    [TestCase(0.1f)]
    public void CrossEntropyLossAndGradientMatchHandComputedValues(float smoothing)
    {
        const int n = 4, k = 3;
        var (session, graph) = Head(new SoftmaxCrossEntropyLoss(smoothing), n, k);
        using var _ = session;
        var labels = session.Int64Input(SoftmaxCrossEntropyLoss.LabelsInput);
        for (var i = 0; i < n; i++)
        {
            labels[i] = i % k;
        }

        var loss = session.Run();
        var (x, w, b) = (session.Input("x"), session.Parameter(0), session.Parameter(1));
        double expected = 0;
        var dw = new double[3 * k];
        for (var i = 0; i < n; i++)
        {
            var z = new double[k];
            for (var c = 0; c < k; c++)
            {
                z[c] = b[c] + Enumerable.Range(0, 3).Sum(j => (double)x[(i * 3) + j] * w[(j * k) + c]);
            }

            var max = z.Max();
            var logSum = max + Math.Log(z.Sum(v => Math.Exp(v - max)));
            for (var c = 0; c < k; c++)
            {
                var target = (c == labels[i] ? 1 - smoothing : 0) + (smoothing / k);
                expected -= target * (z[c] - logSum) / n;
                var dz = (Math.Exp(z[c] - logSum) - target) / n;
                for (var j = 0; j < 3; j++)
                {
                    dw[(j * k) + c] += x[(i * 3) + j] * dz;
                }
            }
        }

        Assert.That(loss, Is.EqualTo(expected).Within(1e-5));
        var gw = session.Gradient(0);
        for (var i = 0; i < dw.Length; i++)
        {
            Assert.That(gw[i], Is.EqualTo(dw[i]).Within(1e-5), $"dW[{i}]");
        }
    }

    [Test]
    public void SigmoidBinaryCrossEntropyMatchesHandComputedValues()
    {
        const int n = 3, k = 2;
        var (session, _) = Head(new SigmoidBinaryCrossEntropyLoss(), n, k);
        using var __ = session;
        var targets = session.Input(SigmoidBinaryCrossEntropyLoss.TargetsInput);
        for (var i = 0; i < targets.Length; i++)
        {
            targets[i] = i % 3 == 0 ? 1f : 0f;
        }

        var loss = session.Run();
        var (x, w, b) = (session.Input("x"), session.Parameter(0), session.Parameter(1));
        double expected = 0;
        var db = new double[k];
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < k; c++)
            {
                var z = b[c] + Enumerable.Range(0, 3).Sum(j => (double)x[(i * 3) + j] * w[(j * k) + c]);
                var t = targets[(i * k) + c];
                var p = 1 / (1 + Math.Exp(-z));
                expected -= ((t * Math.Log(p)) + ((1 - t) * Math.Log(1 - p))) / (n * k);
                db[c] += (p - t) / (n * k);
            }
        }

        Assert.That(loss, Is.EqualTo(expected).Within(1e-5));
        Assert.That(session.Gradient(1)[0], Is.EqualTo(db[0]).Within(1e-6));
        Assert.That(session.Gradient(1)[1], Is.EqualTo(db[1]).Within(1e-6));
    }
}
