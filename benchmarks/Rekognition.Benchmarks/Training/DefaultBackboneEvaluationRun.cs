using System.Diagnostics;
using System.Globalization;
using Rekognition.Benchmarks.Inference;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Data;
using Rekognition.Training.Trainers;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// The engine's defaults measured once on held-out photos, after the settings were chosen by <c>resnet18-cv</c> on training
/// photos only: a job with no backbone (the default ResNet18) and one with <c>none</c> (the built-in network from scratch),
/// trained on hymenoptera <c>train</c> and scored on <c>val</c>, and trained on 60 photos per label of
/// <see cref="GeneratedPhotos"/> (seed 1) and scored on 40 new ones per label (seed 2).
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- default-backbone-eval [hymenoptera|generated|all] [default|none|both]
/// </summary>
internal static class DefaultBackboneEvaluationRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sets = args.Length > 0 ? args[0] : "all";
        var backbones = args.Length > 1 ? args[1] : "both";
        var root = Path.Combine(Path.GetTempPath(), "rekognition-default-eval-" + Guid.NewGuid().ToString("N")[..8]);
        var trainer = new ModelTrainer();
        try
        {
            var cases = new List<(string Name, string[] Labels, List<string> Train, int[] TrainLabels, List<string> Test, int[] TestLabels)>();
            if (sets is "hymenoptera" or "all")
            {
                var (train, trainLabels) = TransferLearningBenchmarks.Photos(InferenceData.Root, "train");
                var (val, valLabels) = TransferLearningBenchmarks.Photos(InferenceData.Root, "val");
                cases.Add(("hymenoptera val", new[] { "ants", "bees" }, train, trainLabels, val, valLabels));
            }

            if (sets is "generated" or "all")
            {
                var (train, trainLabels) = GeneratedPhotos.Write(Path.Combine(root, "generated-train"), 60, seed: 1);
                var (test, testLabels) = GeneratedPhotos.Write(Path.Combine(root, "generated-test"), 40, seed: 2);
                cases.Add(("generated test", GeneratedPhotos.Labels, train, trainLabels, test, testLabels));
            }

            foreach (var c in cases)
            {
                foreach (var backbone in new[] { (string?)null, TrainingJob.NoBackbone }.Where(b => backbones == "both" || (backbones == "none") == (b is not null)))
                {
                    var job = new TrainingJob(ModelKind.MultiClass, c.Labels,
                        c.Train.Select((p, i) => new TrainingImage(p, new[] { c.TrainLabels[i] }, Array.Empty<TrainingBox>())).ToList(),
                        Array.Empty<TrainingImage>(), Path.Combine(root, Guid.NewGuid().ToString("N")), backbone);
                    var clock = Stopwatch.StartNew();
                    var package = await trainer.TrainAsync(job, null, CancellationToken.None);
                    var seconds = clock.Elapsed.TotalSeconds;
                    using var scorer = new InferenceScorer(OnnxModelFile.Read(package.ModelPath));
                    var accuracy = InferenceScorer.Accuracy(scorer.Score(new StreamingImageSource(c.Test, package.Metadata.Input, cacheBytes: 0)), c.TestLabels);
                    var correct = (int)Math.Round(accuracy * c.TestLabels.Length);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"DEFAULT-EVAL {c.Name}, backbone {backbone ?? "unset (ResNet18)"}: {correct}/{c.TestLabels.Length} ({100.0 * correct / c.TestLabels.Length:F2}%), trained on {c.Train.Count} in {seconds:F1} s"));
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }
}
