using System.Diagnostics;
using System.Globalization;
using Rekognition.Benchmarks.Inference;
using Rekognition.Core.Evaluation;
using Rekognition.Core.Inference;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Detection;
using Rekognition.Samples;
using Rekognition.Training.Detection;
using Rekognition.Training.Trainers;

namespace Rekognition.Benchmarks.Detection;

/// <summary>
/// The built-in detector on the default backbone's features (ImageNet ResNet18, frozen, its stride 8, 16 and 32 maps at 224
/// px) against the same detector from scratch (<c>none</c>, the built-in backbone at its default size), with the same epochs,
/// through the engine's entry point as CreateProjectVersion calls it: on the generated 3-shape set (the first 80 % trained,
/// the rest held out) or on coco128's three most boxed labels (train2017 photos with them trained, val2017 scored on them
/// only). AP@0.5 through the library's evaluator. A timed run:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- detector-resnet18 [synthetic|coco128] [epochs] [images]
/// </summary>
internal static class DetectorBackboneComparisonRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var set = args.Length > 0 ? args[0] : "synthetic";
        var epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
        var directory = Directory.CreateTempSubdirectory("rekognition-detector-resnet18-").FullName;
        try
        {
            var (labels, train, held) = set == "coco128" ? Coco(directory) : Synthetic(directory, count);
            // The ResNet18's feature maps feed the detector through the options' feature backbone (a job's detection backbone must be a whole detector).
            var onResNet = new ModelTrainer(detectors: new ObjectDetectorTrainerOptions
            {
                Epochs = epochs, CheckpointEveryEpochs = 0, Backbone = new DetectorBackbone { Path = Rekognition.Training.Backbones.DefaultBackbone.Require() },
            });
            var fromScratch = new ModelTrainer(detectors: new ObjectDetectorTrainerOptions { Epochs = epochs, CheckpointEveryEpochs = 0 });
            foreach (var backbone in new[] { TrainingJob.NoBackbone, null })
            {
                var job = new TrainingJob(ModelKind.Detection, labels, train, Array.Empty<TrainingImage>(), Path.Combine(directory, backbone ?? "resnet18"), backbone);
                var clock = Stopwatch.StartNew();
                var package = await (backbone is null ? onResNet : fromScratch).TrainAsync(job, null, CancellationToken.None);
                var trainingTime = clock.Elapsed;
                package.Metadata.DefaultThreshold = 0.001f;
                package.Metadata.MinCandidateScore = 0.001f;
                using var detector = OnnxDetector.Load(package);
                var (evaluation, perImage) = DetectionScoring.Evaluate(detector, labels, held);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"DETECTOR {set}, backbone {backbone ?? "unset (ResNet18)"} at {package.Metadata.Input.Width} px: {train.Count} training images ({train.Sum(t => t.Boxes.Count)} boxes), " +
                    $"{epochs} epochs in {trainingTime.TotalSeconds:0} s; held out {held.Count} images ({held.Sum(t => t.Objects.Length)} boxes): " +
                    $"AP@0.5 {evaluation.Aggregate.AveragePrecision:0.000}, COCO mAP@[.5:.95] {evaluation.Aggregate.CocoMeanAveragePrecision:0.000}; Detect {perImage.TotalMilliseconds:0.0} ms per image"));
                foreach (var label in evaluation.LabelResults)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label.Label}: AP@0.5 {label.AveragePrecision:0.000}"));
                }
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (List<string>, List<TrainingImage>, List<DetectionScoring.Truth>) Synthetic(string directory, int count)
    {
        var set = SyntheticDetectionDataset.Generate(Path.Combine(directory, "images"), count, seed: 2026);
        var split = count * 4 / 5;
        var train = set.Images.Take(split).Where(i => i.Objects.Count > 0).Select(i => new TrainingImage(i.Path, i.Objects.Select(o => o.ClassId).Distinct().ToList(),
            i.Objects.Select(o => new TrainingBox(o.ClassId, new NormalizedBox((float)o.Left / i.Width, (float)o.Top / i.Height, (float)o.Width / i.Width, (float)o.Height / i.Height))).ToList())).ToList();
        var held = set.Images.Skip(split).Select(i => new DetectionScoring.Truth(i.Path, i.Objects
            .Select(o => new GroundTruthObject(o.ClassId, new PixelBox(o.Left, o.Top, o.Width, o.Height))).ToArray())).ToList();
        return (SyntheticDetectionDataset.ClassNames.ToList(), train, held);
    }

    private static (List<string>, List<TrainingImage>, List<DetectionScoring.Truth>) Coco(string directory)
    {
        _ = directory;
        var coco = Path.Combine(InferenceData.Root, "coco128");
        var names = Coco128.Names(coco);
        var all = Coco128.TrainingImages(coco, "train2017");
        var chosen = all.SelectMany(i => i.Boxes).GroupBy(b => b.Label).OrderByDescending(g => g.Count()).Take(3).Select(g => g.Key).ToList();
        int Index(int label) => chosen.IndexOf(label);
        var train = all.Select(i => i.Boxes.Where(b => chosen.Contains(b.Label)).Select(b => new TrainingBox(Index(b.Label), b.Box)).ToList())
            .Zip(all, (boxes, i) => (boxes, i.Path)).Where(x => x.boxes.Count > 0)
            .Select(x => new TrainingImage(x.Path, x.boxes.Select(b => b.Label).Distinct().ToList(), x.boxes)).ToList();
        var held = Coco128.Images(coco, "val2017").Select(file => new DetectionScoring.Truth(file, Coco128.Objects(coco, "val2017", file)
            .Where(o => chosen.Contains(o.LabelIndex)).Select(o => o with { LabelIndex = Index(o.LabelIndex) }).ToArray())).ToList();
        return (chosen.Select(c => names[c]).ToList(), train, held);
    }
}
