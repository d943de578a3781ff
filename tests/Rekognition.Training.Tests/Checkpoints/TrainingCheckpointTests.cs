using Rekognition.Training.Backbones;
using Rekognition.Training.Checkpoints;
using Rekognition.Training.Data;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Optimizers;
using Rekognition.Training.Runtime;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.Checkpoints;

public class TrainingCheckpointTests
{
    private const int Size = 8;
    private const int Samples = 22;
    private string _directory = "";

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("rek-ckpt-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    /// <summary>A compact CNN (batch norm, dropout) on random 3x8x8 tensors of three classes, batch 4, AdamW, shifted augmentation.</summary>
    private sealed class Run : IDisposable
    {
        public Run(string checkpointDirectory, string fingerprint = "job-1", int epochs = 5, bool average = false)
        {
            var (network, trainable) = BuiltInNetworks.CompactCnn(3, Size, 3, width: 4, seed: 3);
            var graph = TrainingGraphBuilder.Build(network, trainable, BuiltInNetworks.Output, new SoftmaxCrossEntropyLoss(0.1f),
                new Dictionary<string, long[]> { [BuiltInNetworks.Input] = new long[] { 4, 3, Size, Size } });
            Session = new TrainingGraphSession(graph, threads: 1, seed: 7);
            Optimizer = new AdamWOptimizer(graph.Parameters.Select(p => p.InitialValues.Length).ToList());
            var random = new Random(11);
            var data = Enumerable.Range(0, Samples * 3 * Size * Size).Select(_ => random.NextSingle() - 0.5f).ToArray();
            var classes = Enumerable.Range(0, Samples).Select(i => i % 3).ToArray();
            Average = average ? new WeightAverage(graph.Parameters.Select((_, i) => Session.Parameter(i)).ToList(), 0.9f) : null;
            Loop = new TrainingLoop(Session, Optimizer, new TensorSampleSource(data, 3, Size, Size, maxShift: 1), new SampleLabels(classes, null, 3), new TrainingLoopOptions
            {
                Epochs = epochs, LearningRate = 3e-3f, Cosine = true, WarmupEpochs = 1, ClipNorm = 5f, Augment = true, Seed = 5,
                Checkpoint = new CheckpointOptions(checkpointDirectory, fingerprint),
            }) { Average = Average };
        }

        public TrainingGraphSession Session { get; }

        public AdamWOptimizer Optimizer { get; }

        public TrainingLoop Loop { get; }

        public WeightAverage? Average { get; }

        public float[] Parameters() => Session.Graph.Parameters.SelectMany((_, i) => Session.Parameter(i)).ToArray();

        public float[] Statistics() => Session.RunningStatistics.OrderBy(s => s.Key, StringComparer.Ordinal).SelectMany(s => s.Value).ToArray();

        public void Dispose() => Session.Dispose();
    }

    private sealed class SimulatedCrash : Exception;

    [Test]
    public void RunResumedAfterACrash_EndsWithTheParametersOfAnUninterruptedRun()
    {
        using var whole = new Run(Path.Combine(_directory, "whole"));
        whole.Loop.Run(null, CancellationToken.None);

        var folder = Path.Combine(_directory, "crashed");
        using (var crashed = new Run(folder))
        {
            Assert.Throws<SimulatedCrash>(() => crashed.Loop.Run(null, CancellationToken.None, epoch =>
            {
                if (epoch == 3)
                {
                    throw new SimulatedCrash();
                }
            }));
        }

        // The crash came after epoch 3 ended but before its checkpoint: the run goes on from epoch 2.
        using var resumed = new Run(folder);
        var reports = new List<int>();
        resumed.Loop.Run(new SyncProgress(p => reports.Add(p.Epoch)), CancellationToken.None);

        Assert.That(resumed.Loop.ResumedEpochs, Is.EqualTo(2));
        Assert.That(reports, Is.EqualTo(new[] { 3, 4, 5 }));
        Assert.That(resumed.Loop.EpochLosses, Has.Count.EqualTo(5));
        Assert.That(resumed.Optimizer.Steps, Is.EqualTo(whole.Optimizer.Steps));
        Assert.That(resumed.Loop.EpochLosses, Is.EqualTo(whole.Loop.EpochLosses).Within(1e-4f));
        Assert.That(resumed.Parameters(), Is.EqualTo(whole.Parameters()).Within(1e-5f));
        Assert.That(resumed.Statistics(), Is.EqualTo(whole.Statistics()).Within(1e-5f));
        Assert.That(resumed.Session.DropoutRandomState, Is.EqualTo(whole.Session.DropoutRandomState));
    }

    [Test]
    public void WeightAverage_ResumesWithTheRun_EndingAsAnUninterruptedRunsDoes()
    {
        using var whole = new Run(Path.Combine(_directory, "whole"), epochs: 4, average: true);
        whole.Loop.Run(null, CancellationToken.None);

        var folder = Path.Combine(_directory, "crashed");
        using (var crashed = new Run(folder, epochs: 4, average: true))
        {
            Assert.Throws<SimulatedCrash>(() => crashed.Loop.Run(null, CancellationToken.None, epoch =>
            {
                if (epoch == 3)
                {
                    throw new SimulatedCrash();
                }
            }));
        }

        using var resumed = new Run(folder, epochs: 4, average: true);
        resumed.Loop.Run(null, CancellationToken.None);
        Assert.That(resumed.Loop.ResumedEpochs, Is.EqualTo(2));
        Assert.That(resumed.Average!.Updates, Is.EqualTo(whole.Average!.Updates));
        var (a, b) = (resumed.Average.Values.SelectMany(v => v).ToArray(), whole.Average.Values.SelectMany(v => v).ToArray());
        Assert.That(a, Is.EqualTo(b).Within(1e-5f));
        Assert.That(a, Is.Not.EqualTo(resumed.Parameters()).Within(1e-5f), "the average lags the last weights");
    }

    [Test]
    public void RunCancelledAfterAnEpoch_ResumesFromThatEpoch()
    {
        using var whole = new Run(Path.Combine(_directory, "whole"), epochs: 4);
        whole.Loop.Run(null, CancellationToken.None);

        var folder = Path.Combine(_directory, "cancelled");
        using (var cancelled = new Run(folder, epochs: 4))
        {
            using var cancel = new CancellationTokenSource();
            Assert.Catch<OperationCanceledException>(() => cancelled.Loop.Run(new SyncProgress(p =>
            {
                if (p.Epoch == 1)
                {
                    cancel.Cancel();
                }
            }), cancel.Token));
        }

        using var resumed = new Run(folder, epochs: 4);
        resumed.Loop.Run(null, CancellationToken.None);
        Assert.That(resumed.Loop.ResumedEpochs, Is.EqualTo(1));
        Assert.That(resumed.Parameters(), Is.EqualTo(whole.Parameters()).Within(1e-5f));
        Assert.That(resumed.Statistics(), Is.EqualTo(whole.Statistics()).Within(1e-5f));
    }

    [Test]
    public void CheckpointOfAnotherJob_IsIgnored()
    {
        var folder = Path.Combine(_directory, "shared");
        using (var other = new Run(folder, fingerprint: "job-other", epochs: 2))
        {
            other.Loop.Run(null, CancellationToken.None);
        }

        Assert.That(TrainingCheckpoint.TryLoad(TrainingCheckpoint.PathIn(folder), "job-1"), Is.Null);
        using var run = new Run(folder, epochs: 2);
        run.Loop.Run(null, CancellationToken.None);
        Assert.That(run.Loop.ResumedEpochs, Is.EqualTo(0));
        Assert.That(TrainingCheckpoint.TryLoad(TrainingCheckpoint.PathIn(folder), "job-1")!.EpochsDone, Is.EqualTo(2), "replaced by this job's");
    }

    [Test]
    public void DamagedCheckpoint_IsIgnoredAndSavingLeavesNoTemporaryFiles()
    {
        var folder = Path.Combine(_directory, "damaged");
        using (var run = new Run(folder, epochs: 1))
        {
            run.Loop.Run(null, CancellationToken.None);
        }

        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { TrainingCheckpoint.FileName }));
        var path = TrainingCheckpoint.PathIn(folder);
        var whole = File.ReadAllBytes(path);
        Assert.That(TrainingCheckpoint.TryLoad(path, null), Is.Not.Null);
        File.WriteAllBytes(path, whole.AsSpan(0, whole.Length - 9).ToArray());
        Assert.That(TrainingCheckpoint.TryLoad(path, null), Is.Null);
        File.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        Assert.That(TrainingCheckpoint.TryLoad(path, null), Is.Null);

        using var fresh = new Run(folder, epochs: 1);
        fresh.Loop.Run(null, CancellationToken.None);
        Assert.That(fresh.Loop.ResumedEpochs, Is.EqualTo(0));
    }

    [Test]
    public void CheckpointThatCannotBeWritten_DoesNotStopTraining()
    {
        // The checkpoint folder's place is taken by a file, so every save fails.
        var blocked = Path.Combine(_directory, "blocked");
        File.WriteAllText(blocked, "not a folder");
        using var run = new Run(blocked, epochs: 2);
        run.Loop.Run(null, CancellationToken.None);
        Assert.That(run.Loop.EpochsDone, Is.EqualTo(2));
        Assert.That(run.Loop.CheckpointError, Is.InstanceOf<IOException>());
        Assert.That(File.ReadAllText(blocked), Is.EqualTo("not a folder"));
    }

    [Test]
    public void OptimizerState_RoundTripsThroughACheckpointFile()
    {
        var sizes = new[] { 5, 9 };
        var adam = new AdamWOptimizer(sizes);
        var sgd = new SgdOptimizer(sizes, momentum: 0.9f);
        var parameters = sizes.Select(n => new float[n]).ToArray();
        var gradients = sizes.Select(n => Enumerable.Range(0, n).Select(i => i * 0.1f).ToArray()).ToArray();
        foreach (Optimizer optimizer in new Optimizer[] { adam, sgd })
        {
            optimizer.Step(parameters, gradients, 0.01f);
            optimizer.Step(parameters, gradients, 0.01f);
        }

        var copy = new AdamWOptimizer(sizes);
        copy.RestoreState(adam.Steps, adam.State);
        Assert.That(copy.Steps, Is.EqualTo(2));
        Assert.That(copy.State.SelectMany(s => s), Is.EqualTo(adam.State.SelectMany(s => s)));
        Assert.That(copy.State.SelectMany(s => s), Has.Some.Not.EqualTo(0f));
        var sgdCopy = new SgdOptimizer(sizes, momentum: 0.9f);
        sgdCopy.RestoreState(sgd.Steps, sgd.State);
        Assert.That(sgdCopy.State.SelectMany(s => s), Is.EqualTo(sgd.State.SelectMany(s => s)));
        Assert.Throws<ArgumentException>(() => new AdamWOptimizer(new[] { 5, 8 }).RestoreState(2, adam.State));
    }
}
