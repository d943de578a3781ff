using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.Trainers;

public class ImageClassifierTrainerTests
{
    private string _directory = "";

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("rek-train-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private static readonly ImageClassifierTrainerOptions Small = new() { InputSize = 32, Width = 8, Epochs = 12, BatchSize = 16, LearningRate = 5e-3f };

    private List<TrainingImage> Images(string name, int count, Func<int, Random, int[]> shapes, int seed)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_directory, name)).FullName;
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var labels = shapes(i, random);
            return new TrainingImage(ShapeImages.Write(folder, i, labels, random), labels, Array.Empty<TrainingBox>());
        }).ToList();
    }

    [Test]
    public async Task MultiClassTrainerLearnsShapesAndItsPackageRunsInPlainOnnxRuntime()
    {
        var train = Images("train", 120, (i, _) => new[] { i % 3 }, 1);
        var validation = Images("val", 45, (i, _) => new[] { i % 3 }, 2);
        var job = new TrainingJob(ModelKind.MultiClass, ShapeImages.Shapes, train, validation, Path.Combine(_directory, "out"), null);
        var reports = new List<TrainingProgress>();
        var package = await new ImageClassifierTrainer(Small).TrainAsync(job, new SyncProgress(reports), CancellationToken.None);

        Assert.That(reports.Select(r => r.Epoch), Is.EqualTo(Enumerable.Range(1, Small.Epochs)));
        Assert.That(reports[^1].Loss, Is.LessThan(reports[0].Loss));
        var accuracy = double.Parse(package.Metadata.Training["validationAccuracy"], System.Globalization.CultureInfo.InvariantCulture);
        TestContext.Out.WriteLine($"validation accuracy {accuracy:P1}, loss {reports[0].Loss:F3} -> {reports[^1].Loss:F3}");
        Assert.That(accuracy, Is.GreaterThan(0.8), "validation accuracy (chance is 0.33)");

        // The package reloads and runs in a plain session with any batch size; no training ops are left.
        var loaded = ModelPackage.Load(package.Directory);
        Assert.That(loaded.Metadata.Kind, Is.EqualTo(ModelKind.MultiClass));
        Assert.That(loaded.Metadata.Input.Width, Is.EqualTo(32));
        var model = Onnx.Ir.OnnxModelFile.Read(loaded.ModelPath);
        Assert.That(model.Graph.Node.Select(n => n.OpType), Has.None.EqualTo("BatchNormalization").And.None.EqualTo("Dropout"));
        using var session = new InferenceSession(loaded.ModelPath);
        var input = new DenseTensor<float>(new[] { 3, 3, 32, 32 });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(loaded.Metadata.Input.Name, input) });
        Assert.That(results.Single(r => r.Name == loaded.Metadata.Output.Scores).AsTensor<float>().Dimensions.ToArray(), Is.EqualTo(new[] { 3, 3 }));
    }

    [Test]
    public async Task NegativeExamples_TeachAMultiClassModelToScorePhotosOfNeitherLabelLow()
    {
        // Two labels (the first two shapes); the third shape is "neither". With negatives, its pictures are unlabeled training images.
        var labels = ShapeImages.Shapes.Take(2).ToList();
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "neg")).FullName;
        var random = new Random(7);
        List<TrainingImage> Pictures(int first, int count, int shape, bool labelled) => Enumerable.Range(first, count)
            .Select(i => new TrainingImage(ShapeImages.Write(folder, i, new[] { shape }, random), labelled ? new[] { shape } : Array.Empty<int>(), Array.Empty<TrainingBox>())).ToList();
        var positives = Pictures(0, 40, 0, true).Concat(Pictures(40, 40, 1, true)).ToList();
        var negatives = Pictures(80, 40, 2, false);
        var neither = Pictures(200, 20, 2, false);

        async Task<double> ShareScoredAsALabel(IReadOnlyList<TrainingImage> train, string name)
        {
            var job = new TrainingJob(ModelKind.MultiClass, labels, train, Array.Empty<TrainingImage>(), Path.Combine(_directory, name), null);
            var package = await new ImageClassifierTrainer(Small).TrainAsync(job, null, CancellationToken.None);
            using var model = Onnx.Detection.OnnxDetector.Load(package);
            Assert.That(model.Metadata.Labels, Is.EqualTo(labels), "the background is never a label");
            return neither.Count(i => model.Detect(File.ReadAllBytes(i.Path), minConfidence: 0).Select(d => d.Confidence).DefaultIfEmpty(0).Max() >= 50f) / (double)neither.Count;
        }

        var without = await ShareScoredAsALabel(positives, "plain");
        var with = await ShareScoredAsALabel(positives.Concat(negatives).ToList(), "negatives");
        TestContext.Out.WriteLine($"photos of neither label scored >= 50 % as a label: {without:P0} without negatives, {with:P0} with");
        Assert.That(without, Is.EqualTo(1.0), "a softmax over two labels always gives one of them half or more");
        Assert.That(with, Is.LessThan(0.3));
    }

    [Test]
    public async Task NegativeExamples_OnABackbone_GiveAPackageOfTheLabelsProbabilitiesOnly()
    {
        var (network, _) = Rekognition.Training.Backbones.BuiltInNetworks.CompactCnn(3, 224, 7, width: 4, seed: 2);
        var backbone = Path.Combine(_directory, "backbone.onnx");
        Onnx.Ir.OnnxModelFile.Write(network, backbone);
        var train = Images("train", 18, (i, _) => new[] { i % 2 }, 5)
            .Concat(Images("none", 6, (_, _) => new[] { 2 }, 6).Select(i => i with { Labels = Array.Empty<int>() })).ToList();
        var job = new TrainingJob(ModelKind.MultiClass, ShapeImages.Shapes.Take(2).ToList(), train, Array.Empty<TrainingImage>(), Path.Combine(_directory, "out"), backbone);
        var package = await new ImageClassifierTrainer(Small).TrainAsync(job, null, CancellationToken.None);

        Assert.That(package.Metadata.Output.Format, Is.EqualTo(OutputFormat.Probabilities));
        Assert.That(package.Metadata.Training["negativeExamples"], Is.EqualTo("6"));
        using var session = new InferenceSession(package.ModelPath);
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(package.Metadata.Input.Name, new DenseTensor<float>(new[] { 2, 3, 224, 224 })) });
        var scores = results.Single(r => r.Name == package.Metadata.Output.Scores).AsTensor<float>();
        Assert.That(scores.Dimensions.ToArray(), Is.EqualTo(new[] { 2, 2 }), "the background column is not in the package's output");
        Assert.That(scores.ToArray(), Has.All.InRange(0f, 1f));
        Assert.That(scores[0, 0] + scores[0, 1], Is.LessThan(1f), "the background keeps its share of the softmax");
    }

    [Test]
    public async Task MultiLabelTrainerLowersItsLoss()
    {
        var train = Images("train", 48, (_, r) => Enumerable.Range(0, 3).Where(_ => r.Next(2) == 1).DefaultIfEmpty(r.Next(3)).ToArray(), 3);
        var job = new TrainingJob(ModelKind.MultiLabel, ShapeImages.Shapes, train, Array.Empty<TrainingImage>(), Path.Combine(_directory, "out"), null);
        var reports = new List<TrainingProgress>();
        var package = await new ImageClassifierTrainer(Small with { Epochs = 6 }).TrainAsync(job, new SyncProgress(reports), CancellationToken.None);
        Assert.That(reports[^1].Loss, Is.LessThan(reports[0].Loss * 0.9f));
        Assert.That(package.Metadata.Kind, Is.EqualTo(ModelKind.MultiLabel));
        Assert.That(package.Metadata.Output.Format, Is.EqualTo(OutputFormat.Logits));
    }

    [Test]
    public async Task JobWithABackboneTrainsAHeadAndPackagesBackboneAndHeadAsOneGraph()
    {
        // A stand-in backbone: the compact CNN (untrained) saved as an ONNX file, input 3x224x224 as the transfer trainer expects.
        var (network, _) = Rekognition.Training.Backbones.BuiltInNetworks.CompactCnn(3, 224, 7, width: 4, seed: 2);
        var backbone = Path.Combine(_directory, "backbone.onnx");
        Onnx.Ir.OnnxModelFile.Write(network, backbone);
        var train = Images("train", 24, (i, _) => new[] { i % 3 }, 5);
        var job = new TrainingJob(ModelKind.MultiClass, ShapeImages.Shapes, train, Array.Empty<TrainingImage>(), Path.Combine(_directory, "out"), backbone);
        var package = await new ImageClassifierTrainer(Small).TrainAsync(job, null, CancellationToken.None);

        Assert.That(package.Metadata.Backbone, Is.EqualTo(backbone));
        Assert.That(package.Metadata.Input.Width, Is.EqualTo(224));
        Assert.That((package.Metadata.Input.Resize, package.Metadata.Input.CropFraction), Is.EqualTo((ResizeMode.CentreCrop, 0.875f)), "inference crops as training did");
        var model = Onnx.Ir.OnnxModelFile.Read(package.ModelPath);
        Assert.That(model.Graph.Node.Count(n => n.OpType == "Gemm"), Is.EqualTo(1), "the backbone's classifier is replaced by the head");
        using var session = new InferenceSession(package.ModelPath);
        var input = new DenseTensor<float>(new[] { 2, 3, 224, 224 });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(package.Metadata.Input.Name, input) });
        Assert.That(results.Single(r => r.Name == package.Metadata.Output.Scores).AsTensor<float>().Dimensions.ToArray(), Is.EqualTo(new[] { 2, 3 }));
    }

    [Test]
    public void CancellationStopsTraining()
    {
        var train = Images("train", 32, (i, _) => new[] { i % 3 }, 4);
        var job = new TrainingJob(ModelKind.MultiClass, ShapeImages.Shapes, train, Array.Empty<TrainingImage>(), Path.Combine(_directory, "out"), null);
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(new List<TrainingProgress>(), cancel.Cancel);
        Assert.CatchAsync<OperationCanceledException>(() => new ImageClassifierTrainer(Small with { Epochs = 50 }).TrainAsync(job, progress, cancel.Token));
        Assert.That(File.Exists(Path.Combine(_directory, "out", ModelPackage.ModelFileName)), Is.False);
    }

    /// <summary>Records reports synchronously (Progress&lt;T&gt; posts them later).</summary>
    private sealed class SyncProgress(List<TrainingProgress> reports, Action? onReport = null) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            reports.Add(value);
            onReport?.Invoke();
        }
    }
}
