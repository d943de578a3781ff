using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Detection;
using Rekognition.Training.Graphs;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.Detection;

/// <summary>
/// Weight-space ensembling of a pretrained detector and its fine-tuned self (WiSE-FT): the mix rule on hand-made values,
/// and through the trainer on a small YOLOv8 graph with random weights (<see cref="UltralyticsGraphs"/>).
/// </summary>
public class WeightSpaceEnsembleTests
{
    private static readonly string[] DetectorClasses = { "person", "circle", "car", "square" };
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("rekognition-wise-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void CopiedRowsAndStatisticsMix_FreshRowsAndNewValuesKeepTheFineTunedOnes()
    {
        // A class weight of 3 rows of 2 (the middle row fresh), its bias, a batch norm's running mean, and a value with no pretrained counterpart.
        var pretrained = new Dictionary<string, float[]>
        {
            ["w"] = new[] { 1f, 2f, 3f, 4f, 5f, 6f }, ["b"] = new[] { 1f, 1f, 1f }, ["bn.mean"] = new[] { 0f, 8f }, ["short"] = new[] { 1f },
        };
        var fresh = new Dictionary<string, bool[]> { ["w"] = new[] { false, true, false }, ["b"] = new[] { false, true, false } };
        var tuned = new Dictionary<string, float[]>
        {
            ["w"] = new[] { 5f, 6f, 7f, 8f, 9f, 10f }, ["b"] = new[] { 3f, 3f, 3f }, ["bn.mean"] = new[] { 4f, 0f }, ["new"] = new[] { 7f }, ["short"] = new[] { 2f, 2f },
        };
        var ensemble = new WeightSpaceEnsemble(pretrained, fresh);

        var quarter = ensemble.Mix(tuned, 0.25f);
        Assert.That(quarter["w"], Is.EqualTo(new[] { 2f, 3f, 7f, 8f, 6f, 7f }), "copied rows 3/4 pretrained + 1/4 fine-tuned; the fresh row as fine-tuned");
        Assert.That(quarter["b"], Is.EqualTo(new[] { 1.5f, 3f, 1.5f }));
        Assert.That(quarter["bn.mean"], Is.EqualTo(new[] { 1f, 6f }), "running statistics mix as the weights do");
        Assert.That(quarter["new"], Is.EqualTo(new[] { 7f }), "no pretrained counterpart");
        Assert.That(quarter["short"], Is.EqualTo(new[] { 2f, 2f }), "a counterpart of another shape is no counterpart");
        Assert.That(tuned["w"], Is.EqualTo(new[] { 5f, 6f, 7f, 8f, 9f, 10f }), "the fine-tuned values are not changed");

        var none = ensemble.Mix(tuned, 0f);
        Assert.That(none["w"], Is.EqualTo(new[] { 1f, 2f, 7f, 8f, 5f, 6f }), "a = 0: the pretrained rows exactly, the fresh one fine-tuned");
        Assert.That(none["bn.mean"], Is.EqualTo(pretrained["bn.mean"]));

        var all = ensemble.Mix(tuned, 1f);
        Assert.That(tuned.Keys.All(k => ReferenceEquals(all[k], tuned[k])), Is.True, "a = 1: the fine-tuned values themselves, today's export");
    }

    [TestCase(-0.1f)]
    [TestCase(1.5f)]
    [TestCase(float.NaN)]
    public void AWeightOutsideZeroToOne_IsRejectedSayingWhatItMeans(float weight)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PretrainedDetectorOptions { FineTunedWeight = weight });
        Assert.That(error!.ParamName, Is.EqualTo(nameof(PretrainedDetectorOptions.FineTunedWeight)));
        Assert.That(error.Message, Does.Contain("[0, 1]").And.Contain("0 exports the pretrained detector"));
        var ensemble = new WeightSpaceEnsemble(new Dictionary<string, float[]>(), new Dictionary<string, bool[]>());
        Assert.Throws<ArgumentOutOfRangeException>(() => ensemble.Mix(new Dictionary<string, float[]>(), weight));
    }

    [Test]
    public async Task OneFineTuning_ExportsThePretrainedDetectorAtZero_TodaysModelAtOne_AndFreshRowsAsTrainedInBetween()
    {
        const int size = 96;
        var path = Path.Combine(_directory, "yolov8.onnx");
        UltralyticsGraphs.Write(path, UltralyticsGraphs.YoloV8(size, DetectorClasses));
        var labels = DetectionImages.Labels; // circle and square are the detector's classes, triangle starts fresh
        var train = DetectionImages.Write(Directory.CreateDirectory(Path.Combine(_directory, "train")).FullName, 16, size, seed: 1);
        // The trained stages, a large rate and the weight average on, so every kind of weight moves and the average is what is mixed.
        var fineTune = new PretrainedDetectorOptions { Epochs = 3, LearningRate = 1e-2f, TrainedStages = 100, EmaDecay = 0.9f };
        async Task<ModelPackage> Train(string name, float weight, IReadOnlyList<float> compared)
        {
            var job = new TrainingJob(ModelKind.Detection, labels, train, Array.Empty<TrainingImage>(), Path.Combine(_directory, name), path);
            var trainer = new ObjectDetectorTrainer(new ObjectDetectorTrainerOptions { FineTune = fineTune with { FineTunedWeight = weight }, BatchSize = 8, CheckpointEveryEpochs = 0 })
            {
                ComparedFineTunedWeights = compared,
            };
            return await trainer.TrainAsync(job, null, CancellationToken.None);
        }

        var pretrainedOnly = await Train("mixed", 0f, new[] { 0.5f, 1f });
        var mixedJob = new TrainingJob(ModelKind.Detection, labels, train, Array.Empty<TrainingImage>(), Path.Combine(_directory, "mixed"), path);
        var half = ModelPackage.Load(ObjectDetectorTrainer.ComparedPackageDirectory(mixedJob, 0.5f));
        var fineTunedOnly = ModelPackage.Load(ObjectDetectorTrainer.ComparedPackageDirectory(mixedJob, 1f));
        var today = await Train("today", 1f, Array.Empty<float>());
        Assert.That(pretrainedOnly.Metadata.Training["fineTunedWeight"], Is.EqualTo("0"));
        Assert.That(half.Metadata.Training["fineTunedWeight"], Is.EqualTo("0.5"));

        // a = 0: the detector's own boxes and, for its classes, its own scores (its export decoded by the trainer's decoding).
        var network = PretrainedDetector.Build(path, labels);
        var original = DetectorExport.AppendDecoding(network.Model.Clone(), network.Grid, labels.Length, network.RegMax);
        var random = new Random(7);
        var image = Enumerable.Range(0, 3 * size * size).Select(_ => random.NextSingle()).ToArray();
        var exported = OnnxModelFile.Read(pretrainedOnly.ModelPath);
        var (scores, boxes) = (YoloV8DetectorTests.Run(exported, image, size, 0), YoloV8DetectorTests.Run(exported, image, size, 1));
        var (expectedScores, expectedBoxes) = (YoloV8DetectorTests.Run(original, image, size, 0), YoloV8DetectorTests.Run(original, image, size, 1));
        Assert.That(boxes, Is.EqualTo(expectedBoxes).Within(1e-5f), "the pretrained boxes");
        var tunedScores = YoloV8DetectorTests.Run(OnnxModelFile.Read(fineTunedOnly.ModelPath), image, size, 0);
        for (var a = 0; a < network.Grid.Count; a++)
        {
            Assert.That(scores[3 * a], Is.EqualTo(expectedScores[3 * a]).Within(1e-5f), $"circle at {a}");
            Assert.That(scores[(3 * a) + 1], Is.EqualTo(expectedScores[(3 * a) + 1]).Within(1e-5f), $"square at {a}");
        }

        Assert.That(tunedScores.Where((s, i) => i % 3 != 2 && MathF.Abs(s - expectedScores[i]) > 1e-3f).Count(), Is.GreaterThan(network.Grid.Count / 2),
            "fine-tuning moved the copied classes' scores, so a = 0 is not the fine-tuned model by accident");

        // a = 1: the model today's trainer exports (a second training, same seed and images, no mixing at all).
        var (fromMixing, fromToday) = (PackageWeights.Read(fineTunedOnly), PackageWeights.Read(today));
        Assert.That(fromMixing.Keys, Is.EquivalentTo(fromToday.Keys));
        foreach (var (name, values) in fromToday)
        {
            Assert.That(fromMixing[name], Is.EqualTo(values).Within(1e-5f), name);
        }

        // In between: the class rows the detector had are the midpoint of its own and the trained ones; triangle's fresh rows are the trained ones at every a.
        var (start, mixed, zero) = (Initializers(network.Model), PackageWeights.Read(half), PackageWeights.Read(pretrainedOnly));
        foreach (var name in new[] { "det.cls0.weight", "det.cls2.bias" })
        {
            var rowLength = start[name].Length / labels.Length;
            for (var i = 0; i < start[name].Length; i++)
            {
                var fresh = i / rowLength == 2;
                var expected = fresh ? fromMixing[name][i] : (0.5f * start[name][i]) + (0.5f * fromMixing[name][i]);
                Assert.That(mixed[name][i], Is.EqualTo(expected).Within(1e-6f), $"{name}[{i}]");
                Assert.That(zero[name][i], Is.EqualTo(fresh ? fromMixing[name][i] : start[name][i]), $"{name}[{i}] at a = 0");
            }

            Assert.That(fromMixing[name].Where((v, i) => i / rowLength == 2 && v != start[name][i]), Is.Not.Empty, $"{name}'s fresh row trained");
        }
    }

    private static Dictionary<string, float[]> Initializers(ModelProto model) =>
        model.Graph.Initializer.Where(t => t.DataType == OnnxTensors.Float).ToDictionary(t => t.Name, t => OnnxTensors.ToFloats(t), StringComparer.Ordinal);
}
