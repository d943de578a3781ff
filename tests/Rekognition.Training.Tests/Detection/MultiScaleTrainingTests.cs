using System.Globalization;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Detection;
using Rekognition.Training.Data;
using Rekognition.Training.Detection;
using Rekognition.Training.Graphs;
using Rekognition.Training.Optimizers;
using Rekognition.Training.Runtime;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.Detection;

/// <summary>Multi-scale input: the sizes, sessions sharing one set of parameters, the per-batch size sequence, and the trainer's package.</summary>
public class MultiScaleTrainingTests
{
    private static readonly DetectorNetworkOptions Small = new() { InputSize = 64, StageWidths = new[] { 8, 8, 8, 8, 8 }, PyramidWidth = 8 };
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("rekognition-multiscale-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void OtherSizes_AreMultiplesOf32AroundTheNominal_WithoutItOrRepeats()
    {
        var options = new MultiScaleOptions { Scales = new[] { 1.23f, 0.77f, 1f, 0.78f, 0.01f } };

        Assert.That(options.OtherSizes(416), Is.EqualTo(new[] { 320, 512 }));
        Assert.That(new MultiScaleOptions().OtherSizes(416), Is.Empty);
        Assert.That(new MultiScaleOptions().Enabled, Is.False);
    }

    [Test]
    public void ASessionAtAnotherSize_SharesParametersGradientsAndStatistics_AndGivesTheGradientsOfItsOwnSize()
    {
        var (network, trainable, grid) = DetectorNetwork.Build(3, Small, seed: 1);
        var spec = new ModelInputSpec { Name = DetectorNetwork.Input, Width = 64, Height = 64 };
        var (large, largeGrid, largeSpec) = DetectorSizes.AtSize(network, spec, grid, 96);
        Assert.That(largeSpec.Width, Is.EqualTo(96));
        Assert.That(largeGrid.Count, Is.EqualTo((12 * 12) + (6 * 6) + (3 * 3)));

        using var main = Session(network, trainable, grid, 64, null);
        using var shared = Session(large, trainable, largeGrid, 96, main);
        using var alone = Session(large, trainable, largeGrid, 96, null);
        for (var i = 0; i < main.Graph.Parameters.Count; i++)
        {
            Assert.That(shared.Parameter(i), Is.SameAs(main.Parameter(i)));
            Assert.That(shared.Gradient(i), Is.SameAs(main.Gradient(i)));
        }

        Assert.That(shared.RunningStatistics.Keys, Is.EquivalentTo(main.RunningStatistics.Keys));
        Assert.That(shared.RunningStatistics.All(p => ReferenceEquals(p.Value, main.RunningStatistics[p.Key])), Is.True);

        // Move the parameters away from their start, as an optimizer step on the main session would; the shared session sees it.
        var random = new Random(5);
        for (var i = 0; i < main.Graph.Parameters.Count; i++)
        {
            var values = main.Parameter(i);
            for (var k = 0; k < values.Length; k++)
            {
                values[k] += 0.01f * (random.NextSingle() - 0.5f);
            }

            values.CopyTo(alone.Parameter(i), 0);
        }

        Fill(shared, largeGrid, seed: 2);
        Fill(alone, largeGrid, seed: 2);
        var sharedLoss = shared.Run();
        var aloneLoss = alone.Run();

        Assert.That(sharedLoss, Is.EqualTo(aloneLoss));
        for (var i = 0; i < main.Graph.Parameters.Count; i++)
        {
            Assert.That(main.Gradient(i), Is.EqualTo(alone.Gradient(i)), main.Graph.Parameters[i].Name);
        }

        var statistic = main.RunningStatistics.Keys.First();
        Assert.That(main.RunningStatistics[statistic], Is.EqualTo(alone.RunningStatistics[statistic]));
    }

    [Test]
    public void TheLoop_DrawsEachBatchsSizeFromTheSeed_SameSeedSameSequence()
    {
        var first = Sizes(seed: 3);
        var again = Sizes(seed: 3);
        var other = Sizes(seed: 4);

        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
        Assert.That(first.Distinct().Order(), Is.EqualTo(new[] { 64, 96 }), "both sizes are used");
        Assert.That(first, Has.Count.EqualTo(3 * 6));
    }

    [Test]
    public async Task TheTrainer_TrainsAtSeveralSizes_AndExportsTheNominalOne()
    {
        var images = DetectionImages.Write(_directory, 8, 64, seed: 7);
        var job = new TrainingJob(ModelKind.Detection, DetectionImages.Labels, images.Where(i => i.Boxes.Count > 0).ToList(), Array.Empty<TrainingImage>(),
            Path.Combine(_directory, "model"), TrainingJob.NoBackbone);

        var package = await new ObjectDetectorTrainer(new ObjectDetectorTrainerOptions
        {
            Network = Small, Epochs = 2, BatchSize = 2, CheckpointEveryEpochs = 0, MultiScale = new MultiScaleOptions { Scales = new[] { 0.5f, 1.5f } },
        }).TrainAsync(job, null, CancellationToken.None);

        Assert.That(package.Metadata.Input.Width, Is.EqualTo(64));
        Assert.That(package.Metadata.Training["multiScaleSizes"], Is.EqualTo("32,64,96"));
        Assert.That(float.IsFinite(float.Parse(package.Metadata.Training["finalLoss"], CultureInfo.InvariantCulture)), Is.True);
        using var detector = OnnxDetector.Load(package.Directory);
        Assert.DoesNotThrow(() => detector.Detect(File.ReadAllBytes(images[0].Path), minConfidence: 0));
    }

    private static TrainingGraphSession Session(Onnx.Ir.ModelProto network, IReadOnlyList<string> trainable, DetectionGrid grid, int size, TrainingGraphSession? sharing)
    {
        var graph = TrainingGraphBuilder.Build(network, trainable.ToList(), DetectorNetwork.RawOutput, new DetectionLoss(grid, 3),
            new Dictionary<string, long[]> { [DetectorNetwork.Input] = new long[] { 2, 3, size, size } });
        return new TrainingGraphSession(graph, threads: 1, sharing: sharing);
    }

    // Random pixels and a few positive locations with boxes around their cells.
    private static void Fill(TrainingGraphSession session, DetectionGrid grid, int seed)
    {
        var random = new Random(seed);
        var image = session.Input(DetectorNetwork.Input);
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = random.NextSingle() - 0.5f;
        }

        var positive = session.Input(DetectionLoss.PositiveInput);
        var boxes = session.Input(DetectionLoss.BoxesInput);
        var classes = session.Input(DetectionLoss.ClassesInput);
        for (var i = 0; i < positive.Length; i += 7)
        {
            positive[i] = 1;
            classes[(i * 3) + random.Next(3)] = 1;
            (boxes[4 * i], boxes[(4 * i) + 1], boxes[(4 * i) + 2], boxes[(4 * i) + 3]) = (4, 4, 20, 28);
        }

        session.Input(DetectionLoss.NormalizerInput)[0] = 1f / ((positive.Length + 6) / 7);
    }

    // The size of each batch of a 3-epoch run over 12 samples in batches of 2, at 64 and 96 px.
    private static List<int> Sizes(int seed)
    {
        var (network, trainable, grid) = DetectorNetwork.Build(3, Small, seed: 1);
        var spec = new ModelInputSpec { Name = DetectorNetwork.Input, Width = 64, Height = 64 };
        var (large, largeGrid, _) = DetectorSizes.AtSize(network, spec, grid, 96);
        using var main = Session(network, trainable, grid, 64, null);
        using var shared = Session(large, trainable, largeGrid, 96, main);
        var order = new List<int>();
        var loop = new TrainingLoop(main, new AdamWOptimizer(main.Graph.Parameters.Select(p => p.InitialValues.Length).ToList()), new Recording(64, order),
            new TrainingLoopOptions { Epochs = 3, LearningRate = 1e-3f, Seed = seed, Prefetch = false })
        {
            OtherSizes = new[] { (shared, (IBatchSource)new Recording(96, order)) },
        };
        loop.Run(null, CancellationToken.None);
        return order;
    }

    /// <summary>A source of blank images without objects that notes its size at every batch it fills.</summary>
    private sealed class Recording(int size, List<int> order) : IBatchSource
    {
        public int Count => 12;

        public void Fill(ReadOnlySpan<int> samples, TrainingBatch batch, bool augment, Random random)
        {
            order.Add(size);
            batch.Floats(DetectionLoss.NormalizerInput)[0] = 1;
        }
    }
}
