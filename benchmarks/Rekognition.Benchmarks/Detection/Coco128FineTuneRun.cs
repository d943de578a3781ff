using System.Diagnostics;
using System.Globalization;
using Rekognition.Benchmarks.Inference;
using Rekognition.Core.Evaluation;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Detection;
using Rekognition.Training.Detection;
using Rekognition.Training.Trainers;

namespace Rekognition.Benchmarks.Detection;

/// <summary>
/// Fine-tuning a whole pretrained detector on real photos: YOLOX-Nano as the job's detection backbone, fine-tuned on
/// coco128's 128 train2017 photos for all 80 labels (class rows started from YOLOX's own by name), then evaluated on the
/// 128 val2017 photos beside YOLOX-Nano's own head on the same photos, both through the same evaluator with the same
/// suppression and cap, the service's figures and the COCO-exact ones side by side. A timed run:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- detector-finetune-coco128 [epochs] [trained stages] [learning rate] [label,label,...|all] [fine-tuned weight]
/// With a label subset, only those labels are trained (the photos with none of them left out) and evaluated, YOLOX-Nano's
/// own head scored on the same labels. The fine-tuned weight is WiSE-FT's a (<see cref="PretrainedDetectorOptions.FineTunedWeight"/>).
/// </summary>
internal static class Coco128FineTuneRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var fineTune = FineTuneOptions(args, 0);
        if (args.Length > 4)
        {
            fineTune = fineTune with { FineTunedWeight = float.Parse(args[4], CultureInfo.InvariantCulture) };
        }

        var coco = Path.Combine(InferenceData.Root, "coco128");
        var yolox = Path.Combine(InferenceData.Root, "models", "yolox_nano_coco_iinfer.onnx");
        var all = Coco128.Names(coco);
        var names = args.Length > 3 && args[3] != "all" ? args[3].Split(',').ToList() : all;
        var keep = names.Select(n => all.IndexOf(n)).ToArray();
        if (keep.Any(k => k < 0))
        {
            throw new ArgumentException($"Labels must be coco128 class names; {string.Join(", ", names.Where(n => !all.Contains(n)))} is not.");
        }

        int Mapped(int label) => Array.IndexOf(keep, label);
        var train = Coco128.TrainingImages(coco, "train2017")
            .Select(i => i with { Boxes = i.Boxes.Where(b => Mapped(b.Label) >= 0).Select(b => b with { Label = Mapped(b.Label) }).ToList() })
            .Where(i => i.Boxes.Count > 0).Select(i => i with { Labels = i.Boxes.Select(b => b.Label).Distinct().ToList() }).ToList();
        var truths = Coco128.Images(coco, "val2017").Select(file => new DetectionScoring.Truth(file,
            Coco128.Objects(coco, "val2017", file).Where(o => Mapped(o.LabelIndex) >= 0).Select(o => o with { LabelIndex = Mapped(o.LabelIndex) }).ToArray())).ToList();
        var directory = Directory.CreateTempSubdirectory("rekognition-coco128-finetune-").FullName;
        try
        {
            // Baseline: YOLOX-Nano's own head, imported as a package.
            var own = YoloXCoco128Run.Package(Path.Combine(directory, "yolox"), yolox, all);
            ModelEvaluation baseline;
            using (var detector = OnnxDetector.Load(own))
            {
                baseline = DetectionScoring.Evaluate(detector, names, truths).Evaluation;
            }

            var (package, evaluation, perImage, trainingTime) = await FineTuneAndScoreAsync(yolox, own.Metadata, names, train, truths, fineTune, directory);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"YOLOX-Nano fine-tuned (head + last {fineTune.TrainedStages} stages, {package.Metadata.Training["pretrainedClassRows"]} of {names.Count} class rows from YOLOX's own, " +
                $"lr {fineTune.LearningRate}, EMA {fineTune.EmaDecay}, fine-tuned weight {fineTune.FineTunedWeight}) on {train.Count} coco128 train2017 photos ({train.Sum(t => t.Boxes.Count)} boxes), {fineTune.Epochs} epochs in " +
                $"{trainingTime.TotalSeconds:0} s; on the {truths.Count} val2017 photos ({truths.Sum(t => t.Objects.Length)} boxes, YOLO labels), Detect {perImage.TotalMilliseconds:0.0} ms per image:"));
            Console.WriteLine(names.Count == all.Count ? "all 80 labels" : $"labels: {string.Join(", ", names)}");
            Console.WriteLine("YOLOX-Nano's own head:");
            Console.WriteLine(DetectionScoring.Figures(baseline));
            Console.WriteLine("fine-tuned:");
            Console.WriteLine(DetectionScoring.Figures(evaluation));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The fine-tuning settings from <paramref name="args"/> at <paramref name="first"/>: [epochs] [trained stages] [learning rate].</summary>
    internal static PretrainedDetectorOptions FineTuneOptions(string[] args, int first)
    {
        var defaults = new PretrainedDetectorOptions();
        return defaults with
        {
            Epochs = args.Length > first ? int.Parse(args[first], CultureInfo.InvariantCulture) : defaults.Epochs,
            TrainedStages = args.Length > first + 1 ? int.Parse(args[first + 1], CultureInfo.InvariantCulture) : defaults.TrainedStages,
            LearningRate = args.Length > first + 2 ? float.Parse(args[first + 2], CultureInfo.InvariantCulture) : defaults.LearningRate,
        };
    }

    /// <summary>
    /// Fine-tunes <paramref name="backbone"/> on <paramref name="train"/> and scores it on <paramref name="truths"/> with the
    /// baseline's evaluation settings (<paramref name="baseline"/>: every low-scoring box kept, its suppression and cap).
    /// </summary>
    internal static async Task<(ModelPackage Package, ModelEvaluation Evaluation, TimeSpan PerImage, TimeSpan Training)> FineTuneAndScoreAsync(
        string backbone, ModelPackageMetadata baseline, IReadOnlyList<string> names, IReadOnlyList<TrainingImage> train,
        IReadOnlyList<DetectionScoring.Truth> truths, PretrainedDetectorOptions fineTune, string directory)
    {
        var job = new TrainingJob(ModelKind.Detection, names, train, Array.Empty<TrainingImage>(), Path.Combine(directory, "model"), backbone);
        var clock = Stopwatch.StartNew();
        var progress = new Progress<TrainingProgress>(p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {p.Epoch}/{p.Epochs}: loss {p.Loss:0.000}, {p.Elapsed.TotalSeconds:0} s")));
        var package = await new ObjectDetectorTrainer(new ObjectDetectorTrainerOptions { FineTune = fineTune, CheckpointEveryEpochs = 0 })
            .TrainAsync(job, progress, CancellationToken.None);
        var trainingTime = clock.Elapsed;
        package.Metadata.DefaultThreshold = baseline.DefaultThreshold;
        package.Metadata.MinCandidateScore = baseline.MinCandidateScore;
        package.Metadata.NmsIouThreshold = baseline.NmsIouThreshold;
        package.Metadata.MaxDetections = baseline.MaxDetections;
        using var tuned = OnnxDetector.Load(package);
        var (evaluation, perImage) = DetectionScoring.Evaluate(tuned, names, truths);
        return (package, evaluation, perImage, trainingTime);
    }
}
