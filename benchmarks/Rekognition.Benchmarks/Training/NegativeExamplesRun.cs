using System.Globalization;
using Rekognition.Benchmarks.Detection;
using Rekognition.Benchmarks.Inference;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Detection;
using Rekognition.Training.Trainers;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// What negative examples do where they matter: an ants-vs-bees classifier (hymenoptera train, default ResNet18 backbone)
/// asked about photos of neither (coco128 val2017: people, streets, food), trained without and with the 128 coco128
/// train2017 photos as unlabeled "none of these" images; both also scored on hymenoptera val. Reported: the share of
/// neither-photos given a label at 50 % or more, and val accuracy (the top label of each ant or bee photo). A timed run:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- negatives-hymenoptera
/// </summary>
internal static class NegativeExamplesRun
{
    public static async Task<int> RunAsync()
    {
        var labels = new[] { "ants", "bees" };
        var (train, trainLabels) = TransferLearningBenchmarks.Photos(InferenceData.Root, "train");
        var (val, valLabels) = TransferLearningBenchmarks.Photos(InferenceData.Root, "val");
        var coco = Path.Combine(InferenceData.Root, "coco128");
        var negatives = Coco128.Images(coco, "train2017").Select(p => new TrainingImage(p, Array.Empty<int>(), Array.Empty<TrainingBox>())).ToList();
        var neither = Coco128.Images(coco, "val2017");
        var labelled = train.Select((p, i) => new TrainingImage(p, new[] { trainLabels[i] }, Array.Empty<TrainingBox>())).ToList();
        var root = Directory.CreateTempSubdirectory("rekognition-negatives-").FullName;
        var trainer = new ModelTrainer();
        try
        {
            foreach (var (name, images) in new[] { ("without negatives", labelled), ("with 128 negatives", labelled.Concat(negatives).ToList()) })
            {
                var job = new TrainingJob(ModelKind.MultiClass, labels, images, Array.Empty<TrainingImage>(), Path.Combine(root, Guid.NewGuid().ToString("N")), null);
                var package = await trainer.TrainAsync(job, null, CancellationToken.None);
                using var model = OnnxDetector.Load(package);
                float Top(string path, out int label)
                {
                    var found = model.Detect(File.ReadAllBytes(path), minConfidence: 0);
                    if (found.Count == 0)
                    {
                        label = -1;
                        return 0f;
                    }

                    var best = found.MaxBy(d => d.Confidence);
                    label = Array.IndexOf(labels, best.Name);
                    return best.Confidence;
                }

                var labelledNeither = neither.Count(p => Top(p, out _) >= 50f);
                var correct = val.Where((p, i) => Top(p, out var l) >= 0 && l == valLabels[i]).Count();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"NEGATIVES {name}: {labelledNeither}/{neither.Length} photos of neither class given a label at >= 50 % ({100.0 * labelledNeither / neither.Length:F1} %); " +
                    $"hymenoptera val top-label accuracy {correct}/{val.Count} ({100.0 * correct / val.Count:F1} %); trained on {images.Count} images"));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }
}
