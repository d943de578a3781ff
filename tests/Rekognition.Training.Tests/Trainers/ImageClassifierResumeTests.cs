using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Checkpoints;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.Trainers;

public class ImageClassifierResumeTests
{
    private static readonly ImageClassifierTrainerOptions Tiny = new() { InputSize = 24, Width = 4, Epochs = 4, BatchSize = 8, LearningRate = 5e-3f, Threads = 1, Seed = 3 };
    private string _directory = "";

    [SetUp]
    public void SetUp() => (_directory, _images) = (Directory.CreateTempSubdirectory("rek-resume-").FullName, null);

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private List<TrainingImage>? _images;

    private TrainingJob Job(string output)
    {
        if (_images is null)
        {
            var folder = Directory.CreateDirectory(Path.Combine(_directory, "images")).FullName;
            var random = new Random(9);
            _images = Enumerable.Range(0, 20)
                .Select(i => new TrainingImage(ShapeImages.Write(folder, i, new[] { i % 3 }, random), new[] { i % 3 }, Array.Empty<TrainingBox>()))
                .ToList();
        }

        return new TrainingJob(ModelKind.MultiClass, ShapeImages.Shapes, _images, Array.Empty<TrainingImage>(), Path.Combine(_directory, output), null);
    }

    [Test]
    public async Task TrainingStoppedAfterAnEpoch_ResumesFromItsCheckpointAndEndsAsAnUninterruptedRun()
    {
        var whole = await new ImageClassifierTrainer(Tiny).TrainAsync(Job("whole"), null, CancellationToken.None);
        Assert.That(Directory.Exists(Job("whole").CheckpointDirectory), Is.False, "the checkpoint is removed once the package is written");

        var job = Job("resumed");
        using (var cancel = new CancellationTokenSource())
        {
            var stopAfterTwo = new SyncProgress(p =>
            {
                if (p.Epoch == 2)
                {
                    cancel.Cancel();
                }
            });
            Assert.CatchAsync<OperationCanceledException>(() => new ImageClassifierTrainer(Tiny).TrainAsync(job, stopAfterTwo, cancel.Token));
        }

        Assert.That(File.Exists(TrainingCheckpoint.PathIn(job.CheckpointDirectory)), Is.True);
        Assert.That(File.Exists(Path.Combine(job.OutputDirectory, ModelPackage.ModelFileName)), Is.False);

        var epochs = new List<int>();
        var resumed = await new ImageClassifierTrainer(Tiny).TrainAsync(job, new SyncProgress(p => epochs.Add(p.Epoch)), CancellationToken.None);
        Assert.That(epochs, Is.EqualTo(new[] { 3, 4 }), "only the epochs left are run");
        Assert.That(resumed.Metadata.Training["resumedAfterEpoch"], Is.EqualTo("2"));
        Assert.That(Directory.Exists(job.CheckpointDirectory), Is.False);

        var (a, b) = (PackageWeights.Read(whole), PackageWeights.Read(resumed));
        Assert.That(b.Keys, Is.EquivalentTo(a.Keys));
        foreach (var (name, values) in a)
        {
            Assert.That(b[name], Is.EqualTo(values).Within(1e-4f), name);
        }
    }

    [Test]
    public async Task CheckpointOfOtherSettings_IsNotResumed()
    {
        var job = Job("changed");
        using (var cancel = new CancellationTokenSource())
        {
            var stop = new SyncProgress(_ => cancel.Cancel());
            Assert.CatchAsync<OperationCanceledException>(() => new ImageClassifierTrainer(Tiny).TrainAsync(job, stop, cancel.Token));
        }

        var epochs = new List<int>();
        var package = await new ImageClassifierTrainer(Tiny with { LearningRate = 1e-3f }).TrainAsync(job, new SyncProgress(p => epochs.Add(p.Epoch)), CancellationToken.None);
        Assert.That(epochs, Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(package.Metadata.Training.ContainsKey("resumedAfterEpoch"), Is.False);
    }
}
