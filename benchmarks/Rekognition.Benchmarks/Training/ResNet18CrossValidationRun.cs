using System.Diagnostics;
using System.Globalization;
using Rekognition.Benchmarks.Inference;
using Rekognition.Core.Models;
using Rekognition.Training.Backbones;
using Rekognition.Training.Data;
using Rekognition.Training.Trainers;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// Chooses the default transfer settings for the default backbone (ML.NET's ImageNet ResNet18) by cross-validation on
/// training photos only: the hymenoptera <c>train</c> photos and 60 photos per label of <see cref="GeneratedPhotos"/>
/// (seed 1; the test photos of the generated set use another seed and are never drawn here). For each fit of the images
/// (centre crop 0.875, stretch) and head weight decay, the head's 4-fold accuracy repeated over 2 seeded shuffles; then
/// the best head alone against it with the last 1 and 2 residual blocks fine-tuned, on one shuffle; then (<c>mirror</c>)
/// the defaults with and without each training image's mirrored copy as a second sample (held-out folds score the
/// originals only). Nothing here reads a val or test split.
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- resnet18-cv [heads|finetune [blocks]|mirror|all]
/// </summary>
internal static class ResNet18CrossValidationRun
{
    private const int Folds = 4;

    public static int Run(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "all";
        var generated = GeneratedPhotos.Write(Path.Combine(Path.GetTempPath(), "rekognition-generated-train"), 60, seed: 1);
        var sets = new (string Name, List<string> Paths, int[] Labels, int Classes)[]
        {
            ("hymenoptera-train", TransferLearningBenchmarks.Photos(InferenceData.Root, "train").Paths, TransferLearningBenchmarks.Photos(InferenceData.Root, "train").Labels, 2),
            ("generated-train", generated.Paths, generated.Labels, GeneratedPhotos.Labels.Length),
        };
        var backbone = DefaultBackbone.Require();
        var fits = new[] { (ResizeMode.CentreCrop, 0.875f), (ResizeMode.Stretch, 1f) };
        var decays = new[] { 0.3f, 1f, 3f, 10f };
        if (mode is "heads" or "all")
        {
            foreach (var (resize, crop) in fits)
            {
                var features = sets.Select(s => Extract(backbone, new TransferLearningOptions { Resize = resize, CropFraction = crop }, s.Paths, 0)).ToList();
                foreach (var decay in decays)
                {
                    var options = new TransferLearningOptions { Resize = resize, CropFraction = crop, WeightDecay = decay };
                    var line = new List<string>();
                    var total = 0.0;
                    for (var s = 0; s < sets.Length; s++)
                    {
                        var (correct, count) = HeadCv(options, features[s].Rows, features[s].Width, sets[s].Labels, sets[s].Classes, repeats: 2);
                        total += (double)correct / count;
                        line.Add(string.Create(CultureInfo.InvariantCulture, $"{sets[s].Name} {correct}/{count} ({100.0 * correct / count:F2}%)"));
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESNET18-CV head {resize} {crop} wd {decay}: {string.Join(", ", line)}; mean {100 * total / sets.Length:F2}%"));
                }
            }
        }

        if (mode is "finetune" or "all")
        {
            var defaults = DefaultBackbone.Transfer;
            var only = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : -1;
            foreach (var blocks in new[] { 0, 1, 2 }.Where(b => only < 0 || b == only))
            {
                var line = new List<string>();
                foreach (var set in sets)
                {
                    var clock = Stopwatch.StartNew();
                    var (correct, count) = FineTuneCv(backbone, defaults with { FineTuneBlocks = blocks }, set.Paths, set.Labels, set.Classes);
                    line.Add(string.Create(CultureInfo.InvariantCulture, $"{set.Name} {correct}/{count} ({100.0 * correct / count:F2}%, {clock.Elapsed.TotalSeconds:F0} s)"));
                }

                Console.WriteLine($"RESNET18-CV fine-tune {blocks} blocks (the default backbone's settings otherwise): {string.Join(", ", line)}");
            }
        }

        if (mode is "mirror" or "all")
        {
            foreach (var blocks in new[] { 0, 1 })
            {
                foreach (var mirrored in new[] { false, true })
                {
                    var line = new List<string>();
                    foreach (var set in sets)
                    {
                        var clock = Stopwatch.StartNew();
                        var (correct, count) = FineTuneCv(backbone, DefaultBackbone.Transfer with { FineTuneBlocks = blocks, MirroredCopies = mirrored }, set.Paths, set.Labels, set.Classes);
                        line.Add(string.Create(CultureInfo.InvariantCulture, $"{set.Name} {correct}/{count} ({100.0 * correct / count:F2}%, {clock.Elapsed.TotalSeconds:F0} s)"));
                    }

                    Console.WriteLine($"RESNET18-CV {blocks} blocks, mirrored copies {(mirrored ? "on" : "off")}: {string.Join(", ", line)}");
                }
            }
        }

        return 0;
    }

    private static (float[] Rows, int Width) Extract(string backbone, TransferLearningOptions options, List<string> paths, int blocks)
    {
        var trainer = new TransferLearningTrainer(options with { FineTuneBlocks = blocks });
        var (network, spec) = trainer.FeatureNetwork(backbone);
        var front = blocks > 0 ? trainer.FineTuneFront(network).Front : network;
        using var extractor = new FeatureExtractor(front, spec);
        var rows = extractor.Extract(paths, CancellationToken.None, mirroredCopies: options.MirroredCopies);

        return (rows, rows.Length / paths.Count / (options.MirroredCopies ? 2 : 1));
    }

    // The fitting rows: the fold's images, and their mirrored copies (rows count..2·count-1) when there are any.
    private static int[] FitRows(int[] fit, int count, bool mirrored) => mirrored ? [.. fit, .. fit.Select(i => i + count)] : fit;

    private static int[] FoldsOf(int count, int seed)
    {
        var random = new Random(seed);
        var order = Enumerable.Range(0, count).OrderBy(_ => random.Next()).ToArray();
        var folds = new int[count];
        for (var k = 0; k < count; k++)
        {
            folds[order[k]] = k % Folds;
        }

        return folds;
    }

    private static (int Correct, int Count) HeadCv(TransferLearningOptions options, float[] rows, int width, int[] labels, int classes, int repeats)
    {
        var trainer = new TransferLearningTrainer(options);
        var correct = 0;
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            var folds = FoldsOf(labels.Length, repeat);
            for (var fold = 0; fold < Folds; fold++)
            {
                var fit = Enumerable.Range(0, labels.Length).Where(i => folds[i] != fold).ToArray();
                var held = Enumerable.Range(0, labels.Length).Where(i => folds[i] == fold).ToArray();
                var fitRows = FitRows(fit, labels.Length, options.MirroredCopies);
                var (head, _) = trainer.TrainHead(Rows(rows, width, fitRows), new SampleLabels(fitRows.Select(i => labels[i % labels.Length]).ToArray(), null, classes), false, null, CancellationToken.None);
                using var scorer = new InferenceScorer(head);
                var accuracy = InferenceScorer.Accuracy(scorer.Score(new TensorSampleSource(Rows(rows, width, held), width, 1, 1)), held.Select(i => labels[i]).ToArray());
                correct += (int)Math.Round(accuracy * held.Length);
            }
        }

        return (correct, labels.Length * repeats);
    }

    private static (int Correct, int Count) FineTuneCv(string backbone, TransferLearningOptions options, List<string> paths, int[] labels, int classes)
    {
        if (options.FineTuneBlocks == 0)
        {
            var (rows, width) = Extract(backbone, options, paths, 0);
            return HeadCv(options, rows, width, labels, classes, repeats: 1);
        }

        var trainer = new TransferLearningTrainer(options);
        var (network, spec) = trainer.FeatureNetwork(backbone);
        var (front, _) = trainer.FineTuneFront(network);
        float[] activations;
        long[] shape;
        using (var extractor = new FeatureExtractor(front, spec))
        {
            activations = extractor.Extract(paths, CancellationToken.None, mirroredCopies: options.MirroredCopies);

            shape = extractor.SampleShape;
        }

        var perImage = activations.Length / paths.Count / (options.MirroredCopies ? 2 : 1);
        var folds = FoldsOf(labels.Length, 0);
        var correct = 0;
        for (var fold = 0; fold < Folds; fold++)
        {
            var fit = Enumerable.Range(0, labels.Length).Where(i => folds[i] != fold).ToArray();
            var held = Enumerable.Range(0, labels.Length).Where(i => folds[i] == fold).ToArray();
            var fitRows = FitRows(fit, labels.Length, options.MirroredCopies);
            var (model, _) = trainer.TrainBlocksAndHead(network, Rows(activations, perImage, fitRows), shape, new SampleLabels(fitRows.Select(i => labels[i % labels.Length]).ToArray(), null, classes), false, null, CancellationToken.None);
            using var scorer = new InferenceScorer(model);
            var source = new TensorSampleSource(Rows(activations, perImage, held), (int)shape[0], (int)shape[1], (int)shape[2]);
            correct += (int)Math.Round(InferenceScorer.Accuracy(scorer.Score(source), held.Select(i => labels[i]).ToArray()) * held.Length);
        }

        return (correct, labels.Length);
    }

    private static float[] Rows(float[] features, int width, int[] rows)
    {
        var result = new float[rows.Length * width];
        for (var i = 0; i < rows.Length; i++)
        {
            features.AsSpan(rows[i] * width, width).CopyTo(result.AsSpan(i * width));
        }

        return result;
    }
}
