using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Backbones;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.Trainers;

/// <summary>Transfer learning with features beyond the memory budget: they go to a file, train the same model, and the file goes after.</summary>
public class TransferLearningFeatureCacheTests
{
    private static readonly TransferLearningOptions Tiny = new()
    {
        InputSize = 16, Resize = ResizeMode.Stretch, Epochs = 3, FineTuneEpochs = 2, BatchSize = 8, LearningRate = 0.05f, WeightDecay = 0.01f,
        FineTuneLearningRate = 3e-3f, Threads = 1, Seed = 3,
    };

    private string _directory = "";
    private List<TrainingImage> _images = new();
    private string _backbone = "";

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("rek-transfer-cache-").FullName;

        // A stand-in backbone: the compact CNN (untrained) saved as an ONNX file, and a few shape photos.
        var (network, _) = BuiltInNetworks.CompactCnn(3, 16, 5, width: 4, seed: 2);
        _backbone = Path.Combine(_directory, "backbone.onnx");
        OnnxModelFile.Write(network, _backbone);
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "images")).FullName;
        var random = new Random(9);
        _images = Enumerable.Range(0, 20)
            .Select(i => new TrainingImage(ShapeImages.Write(folder, i, new[] { i % 3 }, random), new[] { i % 3 }, Array.Empty<TrainingBox>()))
            .ToList();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private TrainingJob Job(string output) =>
        new(ModelKind.MultiClass, ShapeImages.Shapes, _images, Array.Empty<TrainingImage>(), Path.Combine(_directory, output), _backbone);

    private string[] FeatureFiles() => Directory.GetFiles(_directory, "features-*.bin", SearchOption.AllDirectories);

    [TestCase(0)]
    [TestCase(1)]
    public async Task FeaturesOverTheBudget_GoToAFileBesideTheCheckpoint_AndTrainTheSameModel(int fineTuneBlocks)
    {
        var options = Tiny with { FineTuneBlocks = fineTuneBlocks };
        var inMemory = await new TransferLearningTrainer(options).TrainAsync(Job("memory"), null, CancellationToken.None);
        Assert.That(inMemory.Metadata.Training["featureCache"], Is.EqualTo("memory"));

        var job = Job("disk");
        var filesWhileTraining = new List<string>();
        var progress = new SyncProgress(_ => filesWhileTraining.AddRange(FeatureFiles()));
        var onDisk = await new TransferLearningTrainer(options with { FeatureMemoryBudgetBytes = 64 }).TrainAsync(job, progress, CancellationToken.None);
        Assert.That(onDisk.Metadata.Training["featureCache"], Is.EqualTo("disk"));
        Assert.That(filesWhileTraining, Is.Not.Empty.And.All.StartsWith(job.CheckpointDirectory), "the features lie in the job's checkpoint folder while it trains");
        Assert.That(FeatureFiles(), Is.Empty, "the feature file goes once training ends");
        Assert.That(Directory.Exists(job.CheckpointDirectory), Is.False);

        // The same rows in a file as in memory: the same model, and the same loss.
        Assert.That(onDisk.Metadata.Training["finalLoss"], Is.EqualTo(inMemory.Metadata.Training["finalLoss"]));
        var (a, b) = (PackageWeights.Read(inMemory), PackageWeights.Read(onDisk));
        Assert.That(b.Keys, Is.EquivalentTo(a.Keys));
        foreach (var (name, values) in a)
        {
            Assert.That(b[name], Is.EqualTo(values).Within(1e-6f), name);
        }
    }

    [TestCase(0)]
    [TestCase(1)]
    public void FeatureFile_IsRemovedWhenTrainingIsCancelledOrFails(int fineTuneBlocks)
    {
        var trainer = new TransferLearningTrainer(Tiny with { FineTuneBlocks = fineTuneBlocks, FeatureMemoryBudgetBytes = 64 });
        var cancelled = Job("cancelled");
        using (var cancel = new CancellationTokenSource())
        {
            var seen = 0;
            var stop = new SyncProgress(_ =>
            {
                seen = FeatureFiles().Length;
                cancel.Cancel();
            });
            Assert.CatchAsync<OperationCanceledException>(() => trainer.TrainAsync(cancelled, stop, cancel.Token));
            Assert.That(seen, Is.EqualTo(1), "the features were in a file while training ran");
        }

        Assert.That(FeatureFiles(), Is.Empty);
        Assert.That(File.Exists(Path.Combine(cancelled.CheckpointDirectory, TrainingJob.CheckpointFileName)), Is.True, "the checkpoint stays to resume from");

        var failed = Job("failed");
        var fail = new SyncProgress(_ => throw new InvalidOperationException("the disk is on fire"));
        Assert.CatchAsync<InvalidOperationException>(() => trainer.TrainAsync(failed, fail, CancellationToken.None));
        Assert.That(FeatureFiles(), Is.Empty);
    }
}
