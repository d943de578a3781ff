using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Tests;

/// <summary>
/// Checks a training graph's gradients against central finite differences of its own loss: the loss is
/// Σ output·w with random w, so every element of every parameter's gradient is exercised. A test of a
/// loss passes its own loss and fills the loss inputs (targets in range, weights) after the random fill.
/// </summary>
internal static class GradientCheck
{
    public static void Verify(TestModel model, string output, double step = 1e-3, double absoluteTolerance = 2e-3, double relativeTolerance = 1e-2, int samplesPerParameter = 24, bool trainingMode = true,
        TrainingLoss? loss = null, Action<TrainingGraphSession>? fill = null)
    {
        var graph = TrainingGraphBuilder.Build(model.Build(output), model.Parameters, output, loss ?? new WeightedSumLoss(), model.InputShapes, trainingMode);
        using var session = new TrainingGraphSession(graph, threads: 1);
        var random = new Random(7);
        foreach (var name in graph.DataInputs.Concat(graph.LabelInputs))
        {
            var buffer = session.Input(name);
            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = (float)((random.NextDouble() * 2) - 1);
            }
        }

        fill?.Invoke(session);
        session.Run();
        var analytic = graph.Parameters.Select((_, i) => (float[])session.Gradient(i).Clone()).ToArray();
        var checkedCount = 0;
        for (var p = 0; p < graph.Parameters.Count; p++)
        {
            var values = session.Parameter(p);
            var indices = values.Length <= samplesPerParameter
                ? Enumerable.Range(0, values.Length)
                : Enumerable.Range(0, samplesPerParameter).Select(_ => random.Next(values.Length));
            foreach (var i in indices)
            {
                var original = values[i];
                values[i] = (float)(original + step);
                double plus = session.Run();
                values[i] = (float)(original - step);
                double minus = session.Run();
                values[i] = original;
                var numeric = (plus - minus) / (2 * step);
                var exact = (double)analytic[p][i];
                var tolerance = absoluteTolerance + (relativeTolerance * Math.Max(Math.Abs(numeric), Math.Abs(exact)));
                Assert.That(exact, Is.EqualTo(numeric).Within(tolerance), $"d loss / d {graph.Parameters[p].Name}[{i}]");
                checkedCount++;
            }
        }

        Assert.That(checkedCount, Is.GreaterThan(0));
        Assert.That(analytic.Any(a => a.Any(v => v != 0f)), Is.True, "all gradients are zero");
    }
}
