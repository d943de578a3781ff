using Rekognition.Training.Data;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Optimizers;
using Rekognition.Training.Runtime;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.Data;

public class EpochCoverageTests
{
    /// <summary>Passes batches on to a labelled source and records which samples each step got.</summary>
    private sealed class RecordingBatches(IBatchSource inner) : IBatchSource
    {
        private int _epoch = -1;

        public List<int[]> Steps { get; } = new();

        /// <summary>The epoch the loop had announced when each step was filled.</summary>
        public List<int> Epochs { get; } = new();

        public int Count => inner.Count;

        public void BeginEpoch(int epoch) => _epoch = epoch;

        public void Fill(ReadOnlySpan<int> samples, TrainingBatch batch, bool augment, Random random)
        {
            lock (Steps)
            {
                Steps.Add(samples.ToArray());
                Epochs.Add(_epoch);
            }

            inner.Fill(samples, batch, augment, random);
        }
    }

    [TestCase(10, 4)]
    [TestCase(12, 4)]
    [TestCase(7, 7)]
    [TestCase(9, 2)]
    public void EveryEpochUsesEverySampleOnce_TheLastBatchToppedUpFromTheNextOrder(int samples, int batch)
    {
        var m = new TestModel().Input("x", batch, 2).Parameter("w", new long[] { 2, 3 }, 0.1f).Node("MatMul", new[] { "x", "w" }, new[] { "logits" });
        var graph = TrainingGraphBuilder.Build(m.Build("logits"), m.Parameters, "logits", new SoftmaxCrossEntropyLoss(), m.InputShapes);
        using var session = new TrainingGraphSession(graph, threads: 1);
        var data = Enumerable.Range(0, samples * 2).Select(i => (float)i).ToArray();
        var source = new RecordingBatches(new LabeledSampleBatches(new TensorSampleSource(data, 2, 1, 1), new SampleLabels(Enumerable.Range(0, samples).Select(i => i % 3).ToArray(), null, 3)));
        var loop = new TrainingLoop(session, new SgdOptimizer(new[] { 6 }), source, new TrainingLoopOptions { Epochs = 3, LearningRate = 0.01f, Seed = 2 });
        var stepsPerEpoch = (samples + batch - 1) / batch;
        var boundaries = new List<int>();
        loop.Run(null, CancellationToken.None, _ => boundaries.Add(source.Steps.Count));

        Assert.That(loop.StepsPerEpoch, Is.EqualTo(stepsPerEpoch));
        Assert.That(source.Steps, Has.Count.EqualTo(3 * stepsPerEpoch));
        Assert.That(source.Epochs, Is.EqualTo(Enumerable.Range(0, 3).SelectMany(e => Enumerable.Repeat(e, stepsPerEpoch))), "each step is filled knowing its epoch");
        for (var e = 0; e < 3; e++)
        {
            // By the end of an epoch its steps are filled, and the next epoch's first batch may be filling already.
            Assert.That(boundaries[e], Is.InRange((e + 1) * stepsPerEpoch, ((e + 1) * stepsPerEpoch) + 1));
        }
        var epochs = Enumerable.Range(0, 3).Select(e => source.Steps.Skip(e * stepsPerEpoch).Take(stepsPerEpoch).SelectMany(s => s).ToArray()).ToArray();
        for (var e = 0; e < 3; e++)
        {
            Assert.That(epochs[e], Has.Length.EqualTo(stepsPerEpoch * batch));
            Assert.That(epochs[e].Take(samples).Order(), Is.EqualTo(Enumerable.Range(0, samples)), $"epoch {e} uses every sample once");
            var topUp = epochs[e].Skip(samples).ToArray();
            if (e + 1 < 3)
            {
                Assert.That(topUp, Is.EqualTo(epochs[e + 1].Take(topUp.Length)), "free slots come from the start of the next epoch's order");
            }
        }

        Assert.That(epochs[0].Take(samples), Is.Not.EqualTo(epochs[1].Take(samples)), "each epoch is shuffled anew");
    }
}
