using System.Globalization;
using System.Runtime.InteropServices;
using Rekognition.Benchmarks.Inference;
using Rekognition.Training.Data;
using Rekognition.Training.Trainers;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// Head-only transfer against logistic regression on the same features: the int8 MobileNetV2's pooled features
/// of the hymenoptera photos (the trainer's own cut and centre crop), the default head scored by 5-fold cross
/// validation on <c>train</c> (folds from a seeded shuffle) and then once on <c>val</c>. The features, labels and folds
/// are written to the given folder for the logistic-regression peer, which scores the same folds and val:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- hymenoptera-cv [folder]
///   /usr/bin/python3 benchmarks/peers/hymenoptera_logreg.py [folder]
/// </summary>
internal static class HymenopteraCrossValidationRun
{
    private const int Folds = 5;
    private static readonly string[] Classes = { "ants", "bees" };

    public static int Run(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "rekognition-hymenoptera-cv");
        Directory.CreateDirectory(folder);
        var data = InferenceData.Root;
        var trainer = new TransferLearningTrainer(new TransferLearningOptions { Threads = 2 });
        var (network, spec) = trainer.FeatureNetwork(Path.Combine(data, "models", "mobilenetv2-12-int8.onnx"));
        var (trainPaths, trainLabels) = TransferLearningBenchmarks.Photos(data, "train");
        var (valPaths, valLabels) = TransferLearningBenchmarks.Photos(data, "val");
        float[] train, val;
        using (var extractor = new FeatureExtractor(network, spec))
        {
            train = extractor.Extract(trainPaths, CancellationToken.None);
            val = extractor.Extract(valPaths, CancellationToken.None);
        }

        var width = train.Length / trainLabels.Length;
        var random = new Random(0);
        var order = Enumerable.Range(0, trainLabels.Length).OrderBy(_ => random.Next()).ToArray();
        var folds = new int[order.Length];
        for (var k = 0; k < order.Length; k++)
        {
            folds[order[k]] = k % Folds;
        }

        var correct = 0;
        for (var fold = 0; fold < Folds; fold++)
        {
            var fit = Enumerable.Range(0, folds.Length).Where(i => folds[i] != fold).ToArray();
            var held = Enumerable.Range(0, folds.Length).Where(i => folds[i] == fold).ToArray();
            var accuracy = Score(trainer, Rows(train, width, fit), fit.Select(i => trainLabels[i]).ToArray(), Rows(train, width, held), held.Select(i => trainLabels[i]).ToArray());
            correct += (int)Math.Round(accuracy * held.Length);
        }

        var valCorrect = (int)Math.Round(Score(trainer, train, trainLabels, val, valLabels) * valLabels.Length);
        File.WriteAllBytes(Path.Combine(folder, "train.f32"), MemoryMarshal.AsBytes(train.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(folder, "val.f32"), MemoryMarshal.AsBytes(val.AsSpan()).ToArray());
        File.WriteAllText(Path.Combine(folder, "train_labels.txt"), string.Join(' ', trainLabels));
        File.WriteAllText(Path.Combine(folder, "val_labels.txt"), string.Join(' ', valLabels));
        File.WriteAllText(Path.Combine(folder, "train_folds.txt"), string.Join(' ', folds));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"HYMENOPTERA head: {Folds}-fold CV on train {correct}/{trainLabels.Length} ({100.0 * correct / trainLabels.Length:F2}%), val {valCorrect}/{valLabels.Length} ({100.0 * valCorrect / valLabels.Length:F2}%); features ({width} per photo) in {folder}"));
        return 0;
    }

    private static double Score(TransferLearningTrainer trainer, float[] fit, int[] fitLabels, float[] held, int[] heldLabels)
    {
        var (head, _) = trainer.TrainHead(fit, new SampleLabels(fitLabels, null, Classes.Length), false, null, CancellationToken.None);
        using var scorer = new InferenceScorer(head);
        return InferenceScorer.Accuracy(scorer.Score(new TensorSampleSource(held, held.Length / heldLabels.Length, 1, 1)), heldLabels);
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
