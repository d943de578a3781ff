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
/// Fine-tuning a YOLOv8 or YOLOv5 export on coco128, beside its own head: the export (a file the caller names; none ships
/// with the repository or its data) is imported as a package of its format and scored on the 128 val2017 photos, then used as the job's
/// detection backbone, fine-tuned on the 128 train2017 photos for all 80 labels (class rows from its own by name) and
/// scored on the same photos through the same evaluator, suppression and cap. A timed run:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- ultralytics-finetune-coco128 path/to/yolov8n.onnx [epochs] [trained stages] [learning rate]
/// </summary>
internal static class UltralyticsCoco128FineTuneRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("Name a YOLOv8 or YOLOv5 ONNX export (Ultralytics' layouts, 80 COCO classes, a static square input) as the first argument.");
            return 2;
        }

        var fineTune = Coco128FineTuneRun.FineTuneOptions(args, 1);
        var export = Path.GetFullPath(args[0]);
        var coco = Path.Combine(InferenceData.Root, "coco128");
        var names = Coco128.Names(coco);
        var train = Coco128.TrainingImages(coco, "train2017").Where(i => i.Boxes.Count > 0).ToList();
        var truths = Coco128.Images(coco, "val2017").Select(file => new DetectionScoring.Truth(file, Coco128.Objects(coco, "val2017", file))).ToList();
        var directory = Directory.CreateTempSubdirectory("rekognition-yolov8-coco128-").FullName;
        try
        {
            // Baseline: the export's own head, imported as a package (the preprocessing the fine-tuned model uses too).
            var network = PretrainedDetector.Build(export, names);
            var metadata = new ModelPackageMetadata
            {
                Kind = ModelKind.Detection, Labels = names.ToList(), Input = network.Input,
                Output = new ModelOutputSpec { Format = network.RegMax > 0 ? OutputFormat.YoloV8 : OutputFormat.YoloV5, Scores = Rekognition.Onnx.Ir.OnnxModelFile.Read(export).Graph.Output[0].Name },
                DefaultThreshold = 0.001f, MinCandidateScore = 0.001f, NmsIouThreshold = 0.65f, MaxDetections = 100,
            };
            var own = ModelPackage.Write(Path.Combine(directory, "own"), export, metadata);
            ModelEvaluation baseline;
            using (var detector = OnnxDetector.Load(own))
            {
                baseline = DetectionScoring.Evaluate(detector, names, truths).Evaluation;
            }

            var (package, evaluation, perImage, trainingTime) = await Coco128FineTuneRun.FineTuneAndScoreAsync(export, metadata, names, train, truths, fineTune, directory);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(export)} fine-tuned (head + last {fineTune.TrainedStages} stages, {package.Metadata.Training["pretrainedClassRows"]} of {names.Count} class rows " +
                $"from its own, lr {fineTune.LearningRate}) on {train.Count} coco128 train2017 photos, {fineTune.Epochs} epochs in {trainingTime.TotalSeconds:0} s; " +
                $"on the {truths.Count} val2017 photos, Detect {perImage.TotalMilliseconds:0.0} ms per image:"));
            Console.WriteLine("its own head:");
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
}
