using System.Globalization;
using Rekognition.Benchmarks.Inference;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Detection;
using Rekognition.Training.Detection;
using Rekognition.Training.Trainers;

namespace Rekognition.Benchmarks.Detection;

/// <summary>
/// Chooses the fine-tuning defaults of a pretrained detector (<see cref="PretrainedDetectorOptions"/>: epochs, learning
/// rate, mosaic and mixup probabilities, multi-scale input, the weight-space ensembling's fine-tuned weight) by 2-fold cross-validation on coco128's train2017 photos only (never val2017): YOLOX-Nano fine-tuned on one half,
/// scored on the other with the service's mAP@0.5, beside YOLOX-Nano's own head on the same half. A timed run:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- detector-finetune-cv [epochs,...] [learning rates,...] [trained stages] [mosaic/mixup,...] [scales,...] [fine-tuned weights,...]
/// Every combination is trained; a mosaic/mixup pair is two probabilities (e.g. 1/0.5), both off for the last epoch; a
/// multi-scale set is the other sizes as factors of the detector's own joined by '/' (e.g. 0.77/1.23), "none" for one size.
/// Each training is exported and scored at every fine-tuned weight a (WiSE-FT: (1 − a)·pretrained + a·fine-tuned,
/// <see cref="PretrainedDetectorOptions.FineTunedWeight"/>) without training again.
/// </summary>
internal static class FineTuneCrossValidationRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var epochs = (args.Length > 0 ? args[0] : "1,2,4").Split(',').Select(e => int.Parse(e, CultureInfo.InvariantCulture)).ToList();
        var rates = (args.Length > 1 ? args[1] : "0.0002").Split(',').Select(r => float.Parse(r, CultureInfo.InvariantCulture)).ToList();
        var stages = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : new PretrainedDetectorOptions().TrainedStages;
        var mixings = (args.Length > 3 ? args[3] : "0/0").Split(',').Select(p => p.Split('/'))
            .Select(p => new ImageMixingOptions { MosaicProbability = float.Parse(p[0], CultureInfo.InvariantCulture), MixupProbability = float.Parse(p[1], CultureInfo.InvariantCulture) })
            .ToList();
        var scaleSets = (args.Length > 4 ? args[4] : "none").Split(',')
            .Select(set => new MultiScaleOptions { Scales = set == "none" ? Array.Empty<float>() : set.Split('/').Select(f => float.Parse(f, CultureInfo.InvariantCulture)).ToList() })
            .ToList();
        var weights = (args.Length > 5 ? args[5] : "1").Split(',').Select(a => float.Parse(a, CultureInfo.InvariantCulture)).ToList();
        var coco = Path.Combine(InferenceData.Root, "coco128");
        var yolox = Path.Combine(InferenceData.Root, "models", "yolox_nano_coco_iinfer.onnx");
        var names = Coco128.Names(coco);
        var photos = Coco128.TrainingImages(coco, "train2017");
        var folds = new[] { photos.Where((_, i) => i % 2 == 0).ToList(), photos.Where((_, i) => i % 2 == 1).ToList() };
        List<DetectionScoring.Truth> Truths(IEnumerable<TrainingImage> images) =>
            images.Select(i => new DetectionScoring.Truth(i.Path, Coco128.Objects(coco, "train2017", i.Path))).ToList();

        var directory = Directory.CreateTempSubdirectory("rekognition-finetune-cv-").FullName;
        try
        {
            var own = YoloXCoco128Run.Package(Path.Combine(directory, "yolox"), yolox, names);
            using (var detector = OnnxDetector.Load(own))
            {
                var baseline = folds.Select(f => DetectionScoring.Evaluate(detector, names, Truths(f)).Evaluation.Aggregate.AveragePrecision ?? 0).Average();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"YOLOX-Nano's own head, mean over the 2 held-out halves: mAP@0.5 {baseline:0.000}"));
            }

            var results = new List<(int Epochs, float Rate, ImageMixingOptions Mixing, MultiScaleOptions Scales, float Weight, double Map)>();
            var trainings = 0;
            foreach (var (rate, e, mixing, scales) in rates.SelectMany(r => epochs.SelectMany(e => mixings.SelectMany(m => scaleSets.Select(s => (r, e, m, s))))))
            {
                // One training per fold, scored at every fine-tuned weight.
                var scores = weights.ToDictionary(a => a, _ => new List<double>());
                for (var f = 0; f < 2; f++)
                {
                    var options = new ObjectDetectorTrainerOptions
                    {
                        FineTune = new PretrainedDetectorOptions { Epochs = e, LearningRate = rate, TrainedStages = stages, Mixing = mixing, MultiScale = scales }, CheckpointEveryEpochs = 0,
                    };
                    var job = new TrainingJob(ModelKind.Detection, names, folds[f], Array.Empty<TrainingImage>(), Path.Combine(directory, $"m{trainings++}-{f}"), yolox);
                    await new ObjectDetectorTrainer(options) { ComparedFineTunedWeights = weights }.TrainAsync(job, null, CancellationToken.None);
                    foreach (var a in weights)
                    {
                        var package = ModelPackage.Load(ObjectDetectorTrainer.ComparedPackageDirectory(job, a));
                        package.Metadata.DefaultThreshold = own.Metadata.DefaultThreshold;
                        package.Metadata.MinCandidateScore = own.Metadata.MinCandidateScore;
                        package.Metadata.NmsIouThreshold = own.Metadata.NmsIouThreshold;
                        package.Metadata.MaxDetections = own.Metadata.MaxDetections;
                        using var tuned = OnnxDetector.Load(package);
                        scores[a].Add(DetectionScoring.Evaluate(tuned, names, Truths(folds[1 - f])).Evaluation.Aggregate.AveragePrecision ?? 0);
                    }
                }

                foreach (var (a, halves) in scores)
                {
                    results.Add((e, rate, mixing, scales, a, halves.Average()));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"epochs {e}, lr {rate}, last {stages} stages, mosaic {mixing.MosaicProbability}, mixup {mixing.MixupProbability}, multi-scale [{scales}], fine-tuned weight {a}: " +
                        $"mAP@0.5 {halves.Average():0.000} (halves {string.Join(", ", halves.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))})"));
                }
            }

            var best = results.MaxBy(r => r.Map);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"chosen: epochs {best.Epochs}, lr {best.Rate}, mosaic {best.Mixing.MosaicProbability}, mixup {best.Mixing.MixupProbability}, multi-scale [{best.Scales}], " +
                $"fine-tuned weight {best.Weight} (mAP@0.5 {best.Map:0.000} on held-out training photos)"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
