using System.Diagnostics;
using System.Globalization;
using Rekognition.Core.Evaluation;
using Rekognition.Core.Inference;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Detection;
using Rekognition.Samples;
using Rekognition.Training.Trainers;

namespace Rekognition.Benchmarks.Detection;

/// <summary>
/// The detection quality run: a generated dataset (circles, squares and triangles of varied size, position
/// and count, up to 10 per image, on cluttered backgrounds), the first 80 % trained from scratch with the
/// built-in detector's defaults, the rest held out for mAP@0.5 and COCO mAP through the library's evaluator,
/// beside training time and per-image Detect latency. A timed run:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- detector-synthetic [images] [epochs]
/// </summary>
internal static class SyntheticDetectorRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var defaults = new ObjectDetectorTrainerOptions();
        var epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : defaults.Epochs;
        var directory = Directory.CreateTempSubdirectory("rekognition-detector-run-").FullName;
        try
        {
            var set = SyntheticDetectionDataset.Generate(Path.Combine(directory, "images"), count, seed: 2026);
            var images = set.Images.Select(i => (Image: i, Training: new TrainingImage(i.Path, i.Objects.Select(o => o.ClassId).Distinct().ToList(),
                i.Objects.Select(o => new TrainingBox(o.ClassId, new NormalizedBox((float)o.Left / i.Width, (float)o.Top / i.Height, (float)o.Width / i.Width, (float)o.Height / i.Height))).ToList()))).ToList();
            var split = count * 4 / 5;
            // Training leaves background-only images out, as CreateProjectVersion does.
            var train = images.Take(split).Select(i => i.Training).Where(i => i.Boxes.Count > 0).ToList();
            var held = images.Skip(split).ToList();
            var labels = SyntheticDetectionDataset.ClassNames.ToList();
            var job = new TrainingJob(ModelKind.Detection, labels, train, Array.Empty<TrainingImage>(), Path.Combine(directory, "model"), null);

            var clock = Stopwatch.StartNew();
            var progress = new Progress<TrainingProgress>(p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {p.Epoch}/{p.Epochs}: loss {p.Loss:0.000}, {p.Elapsed.TotalSeconds:0} s")));
            var package = await new ObjectDetectorTrainer(defaults with { Epochs = epochs }).TrainAsync(job, progress, CancellationToken.None);
            var trainingTime = clock.Elapsed;

            using var detector = OnnxDetector.Load(package.Directory);
            var truths = held.Select(h => new DetectionScoring.Truth(h.Image.Path, h.Image.Objects
                .Select(o => new GroundTruthObject(o.ClassId, new PixelBox(o.Left, o.Top, o.Width, o.Height))).ToArray())).ToList();
            DetectionScoring.Evaluate(detector, labels, truths.Take(5)); // warm-up
            var (evaluation, perImage) = DetectionScoring.Evaluate(detector, labels, truths);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Built-in detector, {train.Count} training images ({train.Sum(t => t.Boxes.Count)} boxes), {epochs} epochs at {defaults.Network.InputSize} px in {trainingTime.TotalSeconds:0} s " +
                $"({trainingTime.TotalSeconds / epochs:0.0} s per epoch); held out {held.Count} images ({truths.Sum(t => t.Objects.Length)} boxes): " +
                $"F1 {evaluation.Aggregate.F1Score:0.000}; Detect {perImage.TotalMilliseconds:0.0} ms per image"));
            Console.WriteLine(DetectionScoring.Figures(evaluation));
            foreach (var label in evaluation.LabelResults)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label.Label}: AP@0.5 {label.AveragePrecision:0.000}, F1 {label.F1Score:0.000} at threshold {label.Threshold:0.00}"));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
