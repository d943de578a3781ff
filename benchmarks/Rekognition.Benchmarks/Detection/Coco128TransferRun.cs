using System.Diagnostics;
using System.Globalization;
using Rekognition.Benchmarks.Inference;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Detection;
using Rekognition.Training.Detection;
using Rekognition.Training.Trainers;

namespace Rekognition.Benchmarks.Detection;

/// <summary>
/// Detection transfer on real photos: the detector's pyramid and heads trained on coco128's train2017 photos on
/// top of the COCO YOLOX-Nano's neck (frozen, or with its last convolutions fine-tuned), evaluated on the 128
/// val2017 photos only at the end, beside YOLOX-Nano's own head on the same photos. A timed run:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- detector-coco128 [epochs] [fine-tuned convolutions]
/// </summary>
internal static class Coco128TransferRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        var fineTune = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
        var coco = Path.Combine(InferenceData.Root, "coco128");
        var names = Coco128.Names(coco);
        var train = Coco128.TrainingImages(coco, "train2017");
        var directory = Directory.CreateTempSubdirectory("rekognition-coco128-").FullName;
        try
        {
            var backbone = new DetectorBackbone { Path = Path.Combine(InferenceData.Root, "models", "yolox_nano_coco_iinfer.onnx"), FineTuneConvolutions = fineTune };
            var options = new ObjectDetectorTrainerOptions { Backbone = backbone, Epochs = epochs, CheckpointEveryEpochs = 0 };
            var job = new TrainingJob(ModelKind.Detection, names, train, Array.Empty<TrainingImage>(), Path.Combine(directory, "model"), backbone.Path);
            var clock = Stopwatch.StartNew();
            var progress = new Progress<TrainingProgress>(p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {p.Epoch}/{p.Epochs}: loss {p.Loss:0.000}, {p.Elapsed.TotalSeconds:0} s")));
            var package = await new ObjectDetectorTrainer(options).TrainAsync(job, progress, CancellationToken.None);
            var trainingTime = clock.Elapsed;

            // Evaluation keeps low-scoring boxes, as COCO evaluation does.
            package.Metadata.DefaultThreshold = 0.001f;
            package.Metadata.MinCandidateScore = 0.001f;
            using var detector = OnnxDetector.Load(package);
            var truths = Coco128.Images(coco, "val2017").Select(file => new DetectionScoring.Truth(file, Coco128.Objects(coco, "val2017", file))).ToList();
            var (evaluation, perImage) = DetectionScoring.Evaluate(detector, names, truths);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"YOLOX-Nano backbone ({(fineTune == 0 ? "frozen" : $"last {fineTune} convolutions fine-tuned")}) + trained pyramid and heads, {train.Count} coco128 train photos " +
                $"({train.Sum(t => t.Boxes.Count)} boxes), {epochs} epochs in {trainingTime.TotalSeconds:0} s; on the 128 val2017 photos: " +
                $"Detect {perImage.TotalMilliseconds:0.0} ms per image; ground truth from the YOLO labels (no crowd regions, box areas)"));
            Console.WriteLine(DetectionScoring.Figures(evaluation));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
