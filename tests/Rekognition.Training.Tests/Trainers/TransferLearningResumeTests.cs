using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Backbones;
using Rekognition.Training.Checkpoints;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.Trainers;

public class TransferLearningResumeTests
{
    private static readonly TransferLearningOptions Tiny = new() { InputSize = 16, Epochs = 4, BatchSize = 8, LearningRate = 0.05f, WeightDecay = 0.01f, Threads = 1, Seed = 3 };
    private string _directory = "";
    private List<TrainingImage>? _images;
    private string? _backbone;

    [SetUp]
    public void SetUp() => (_directory, _images, _backbone) = (Directory.CreateTempSubdirectory("rek-transfer-resume-").FullName, null, null);

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private TrainingJob Job(string output)
    {
        if (_images is null)
        {
            // A stand-in backbone: the compact CNN (untrained) saved as an ONNX file.
            var (network, _) = BuiltInNetworks.CompactCnn(3, 16, 5, width: 4, seed: 2);
            _backbone = Path.Combine(_directory, "backbone.onnx");
            OnnxModelFile.Write(network, _backbone);
            var folder = Directory.CreateDirectory(Path.Combine(_directory, "images")).FullName;
            var random = new Random(9);
            _images = Enumerable.Range(0, 20)
                .Select(i => new TrainingImage(ShapeImages.Write(folder, i, new[] { i % 3 }, random), new[] { i % 3 }, Array.Empty<TrainingBox>()))
                .ToList();
        }

        return new TrainingJob(ModelKind.MultiClass, ShapeImages.Shapes, _images, Array.Empty<TrainingImage>(), Path.Combine(_directory, output), _backbone);
    }

    [Test]
    public async Task HeadTrainingStoppedAfterAnEpoch_ResumesFromItsCheckpointAndEndsAsAnUninterruptedRun()
    {
        var whole = await new TransferLearningTrainer(Tiny).TrainAsync(Job("whole"), null, CancellationToken.None);
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
            Assert.CatchAsync<OperationCanceledException>(() => new TransferLearningTrainer(Tiny).TrainAsync(job, stopAfterTwo, cancel.Token));
        }

        Assert.That(File.Exists(TrainingCheckpoint.PathIn(job.CheckpointDirectory)), Is.True);
        Assert.That(File.Exists(Path.Combine(job.OutputDirectory, ModelPackage.ModelFileName)), Is.False);

        var epochs = new List<int>();
        var resumed = await new TransferLearningTrainer(Tiny).TrainAsync(job, new SyncProgress(p => epochs.Add(p.Epoch)), CancellationToken.None);
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
            Assert.CatchAsync<OperationCanceledException>(() => new TransferLearningTrainer(Tiny).TrainAsync(job, stop, cancel.Token));
        }

        Assert.That(File.Exists(TrainingCheckpoint.PathIn(job.CheckpointDirectory)), Is.True);
        var epochs = new List<int>();
        var package = await new TransferLearningTrainer(Tiny with { CropFraction = 0.75f }).TrainAsync(job, new SyncProgress(p => epochs.Add(p.Epoch)), CancellationToken.None);
        Assert.That(epochs, Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(package.Metadata.Training.ContainsKey("resumedAfterEpoch"), Is.False);
        Assert.That(package.Metadata.Input.CropFraction, Is.EqualTo(0.75f));
    }
}
