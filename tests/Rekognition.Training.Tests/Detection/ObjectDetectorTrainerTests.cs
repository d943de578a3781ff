using Rekognition.Core.Evaluation;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Detection;
using Rekognition.Training.Detection;
using Rekognition.Training.Trainers;
using EvalBox = Rekognition.Core.Evaluation.PixelBox;

namespace Rekognition.Training.Tests.Detection;

public class ObjectDetectorTrainerTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("rekognition-detector-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task TrainsADetectorThatFindsShapesInHeldOutImages()
    {
        const int size = 128;
        var train = DetectionImages.Write(_directory, 64, size, seed: 1);
        var test = DetectionImages.Write(Directory.CreateDirectory(Path.Combine(_directory, "test")).FullName, 24, size, seed: 2);
        var job = new TrainingJob(ModelKind.Detection, DetectionImages.Labels, train, Array.Empty<TrainingImage>(), Path.Combine(_directory, "model"), null);
        var trainer = new ObjectDetectorTrainer(new ObjectDetectorTrainerOptions
        {
            Network = new DetectorNetworkOptions { InputSize = size, StageWidths = new[] { 8, 16, 24, 32, 48 }, PyramidWidth = 24 },
            Epochs = 25, BatchSize = 8, LearningRate = 4e-3f, WarmupEpochs = 1,
        });

        var package = await trainer.TrainAsync(job, null, CancellationToken.None);

        Assert.That(package.Metadata.Kind, Is.EqualTo(ModelKind.Detection));
        Assert.That(package.Metadata.Output.Format, Is.EqualTo(OutputFormat.BoxesAndScores));
        using var detector = OnnxDetector.Load(package.Directory);
        var images = test.Select(image =>
        {
            var found = detector.Detect(File.ReadAllBytes(image.Path), minConfidence: 0);
            return new EvaluationImage
            {
                SourceRef = image.Path,
                Width = size,
                Height = size,
                GroundTruthObjects = image.Boxes.Select(b => new GroundTruthObject(b.Label, EvalBox.FromRatios(b.Box.Left, b.Box.Top, b.Box.Width, b.Box.Height, size, size))).ToArray(),
                Predictions = found.Select(d => new PredictedLabel(Array.IndexOf(DetectionImages.Labels, d.Name), d.Confidence / 100f,
                    EvalBox.FromRatios(d.Box!.Value.Left, d.Box.Value.Top, d.Box.Value.Width, d.Box.Value.Height, size, size))).ToArray(),
            };
        }).ToList();
        var evaluation = ModelEvaluator.Evaluate(new EvaluationInput { TaskType = EvaluationTaskType.ObjectDetection, Labels = DetectionImages.Labels, Images = images });
        TestContext.Out.WriteLine($"mAP@0.5 {evaluation.Aggregate.AveragePrecision:0.000}, final loss {package.Metadata.Training["finalLoss"]}, {package.Metadata.Training["seconds"]} s");
        Assert.That(evaluation.Aggregate.AveragePrecision, Is.GreaterThan(0.3));
    }

    [Test]
    public async Task BoxLessImages_TrainAsBackground_EveryLocationLearningNoObject()
    {
        const int size = 64;
        var images = DetectionImages.Write(_directory, 8, size, seed: 3);
        var background = images.Take(3).Select(i => i with { Labels = Array.Empty<int>(), Boxes = Array.Empty<TrainingBox>() });
        var job = new TrainingJob(ModelKind.Detection, DetectionImages.Labels, images.Skip(3).Concat(background).ToList(), Array.Empty<TrainingImage>(),
            Path.Combine(_directory, "model"), TrainingJob.NoBackbone);
        Assert.That(ObjectDetectorTrainer.Samples(job.TrainImages).Count(s => s.Objects.Count == 0), Is.EqualTo(3 + images.Skip(3).Count(i => i.Boxes.Count == 0)));

        var package = await new ObjectDetectorTrainer(new ObjectDetectorTrainerOptions
        {
            Network = new DetectorNetworkOptions { InputSize = size, StageWidths = new[] { 8, 8, 8, 8, 8 }, PyramidWidth = 8 }, Epochs = 1, BatchSize = 4, CheckpointEveryEpochs = 0,
        }).TrainAsync(job, null, CancellationToken.None);
        Assert.That(float.IsFinite(float.Parse(package.Metadata.Training["finalLoss"], System.Globalization.CultureInfo.InvariantCulture)), Is.True);
    }

    [Test]
    public void RefusesAClassificationJob()
    {
        var job = new TrainingJob(ModelKind.MultiClass, new[] { "a", "b" }, new[] { new TrainingImage("x.png", new[] { 0 }, Array.Empty<TrainingBox>()) },
            Array.Empty<TrainingImage>(), _directory, null);
        Assert.ThrowsAsync<ArgumentException>(() => new ObjectDetectorTrainer().TrainAsync(job, null, CancellationToken.None));
    }
}
