using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Tests.Kernels;

/// <summary>Runs a test model's training graph, built with custom kernels on or off, on fixed random data.</summary>
internal static class KernelOracle
{
    /// <summary>Every parameter's gradient after one step (2 threads); <paramref name="graph"/> is the graph built.</summary>
    public static float[][] Gradients(TestModel model, bool customKernels, out TrainingGraph graph)
    {
        graph = TrainingGraphBuilder.Build(model.Build("y"), model.Parameters, "y", new WeightedSumLoss(), model.InputShapes, customKernels: customKernels);
        using var session = new TrainingGraphSession(graph, threads: 2);
        var random = new Random(5);
        foreach (var name in graph.DataInputs.Concat(graph.LabelInputs))
        {
            var buffer = session.Input(name);
            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = (random.NextSingle() * 2) - 1;
            }
        }

        session.Run();
        return graph.Parameters.Select((_, i) => (float[])session.Gradient(i).Clone()).ToArray();
    }

    /// <summary>Asserts each gradient element within 1e-4 of the oracle's (relative to the largest, when above 1).</summary>
    public static void AssertClose(float[][] custom, float[][] standard)
    {
        for (var i = 0; i < custom.Length; i++)
        {
            var scale = Math.Max(1f, standard[i].Max(Math.Abs));
            for (var j = 0; j < custom[i].Length; j++)
            {
                Assert.That(custom[i][j], Is.EqualTo(standard[i][j]).Within(1e-4f * scale), $"parameter {i} element {j}");
            }
        }
    }
}
