using Rekognition.Training.Data;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Optimizers;
using Rekognition.Training.Runtime;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.Trainers;

public class GradientAccumulationTests
{
    private static float[] Train(int batch, int accumulate)
    {
        var m = new TestModel().Input("x", batch, 2).Parameter("w", new long[] { 2, 3 }, 0.1f).Node("MatMul", new[] { "x", "w" }, new[] { "logits" });
        var graph = TrainingGraphBuilder.Build(m.Build("logits"), m.Parameters, "logits", new SoftmaxCrossEntropyLoss(), m.InputShapes);
        using var session = new TrainingGraphSession(graph, threads: 1);
        var data = Enumerable.Range(0, 16).Select(i => MathF.Sin(i * 0.7f)).ToArray();
        var loop = new TrainingLoop(session, new SgdOptimizer(new[] { 6 }), new TensorSampleSource(data, 2, 1, 1), new SampleLabels(new[] { 0, 1, 2, 0, 1, 2, 0, 1 }, null, 3),
            new TrainingLoopOptions { Epochs = 3, LearningRate = 0.5f, Seed = 4, AccumulateBatches = accumulate });
        loop.Run(null, CancellationToken.None);
        return (float[])session.Parameter(0).Clone();
    }

    [Test]
    public void TwoAccumulatedBatchesStepAsOneBatchTwiceTheSize()
    {
        var whole = Train(batch: 4, accumulate: 1);
        var accumulated = Train(batch: 2, accumulate: 2);
        var stepwise = Train(batch: 2, accumulate: 1);

        Assert.That(accumulated, Is.EqualTo(whole).Within(1e-5f));
        Assert.That(stepwise, Is.Not.EqualTo(whole).Within(1e-4f), "without accumulation the small batches take twice the steps");
    }
}
