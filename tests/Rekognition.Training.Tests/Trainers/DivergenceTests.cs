using Rekognition.Training.Data;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Optimizers;
using Rekognition.Training.Runtime;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.Trainers;

public class DivergenceTests
{
    [Test]
    public void ANaNLossStopsTrainingBeforeTheOptimizerTakesIt()
    {
        var m = new TestModel().Input("x", 2, 2).Parameter("w", new long[] { 2, 3 }, 0.1f).Node("MatMul", new[] { "x", "w" }, new[] { "logits" });
        var graph = TrainingGraphBuilder.Build(m.Build("logits"), m.Parameters, "logits", new SoftmaxCrossEntropyLoss(), m.InputShapes);
        using var session = new TrainingGraphSession(graph, threads: 1);
        var data = new float[] { 1, 2, 3, 4, float.NaN, 1, 2, 3 };
        var loop = new TrainingLoop(session, new SgdOptimizer(new[] { 6 }), new TensorSampleSource(data, 2, 1, 1), new SampleLabels(new[] { 0, 1, 2, 0 }, null, 3),
            new TrainingLoopOptions { Epochs = 2, LearningRate = 0.1f, Seed = 1 });

        var error = Assert.Throws<TrainingDivergedException>(() => loop.Run(null, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("NaN").And.Contain("diverged"));
        Assert.That(error.Epoch, Is.EqualTo(1));
        Assert.That(session.Parameter(0).All(float.IsFinite), Is.True, "no step applied the NaN gradient");
        Assert.That(loop.EpochLosses, Is.Empty);
    }
}
