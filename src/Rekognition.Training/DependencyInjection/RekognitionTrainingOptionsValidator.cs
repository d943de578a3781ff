using Microsoft.Extensions.Options;
using Rekognition.Training.Trainers;

namespace Rekognition.Training;

/// <summary>
/// Checks <see cref="RekognitionTrainingOptions"/> when the host starts (ValidateOnStart): values no training can run
/// with (a batch of no images, a negative epoch count, a learning rate that is not a number, an empty augmentation
/// range), so a mistyped setting fails the start instead of the first CreateProjectVersion.
/// </summary>
internal sealed class RekognitionTrainingOptionsValidator : IValidateOptions<RekognitionTrainingOptions>
{
    public ValidateOptionsResult Validate(string? name, RekognitionTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Classifier is not { } c)
        {
            failures.Add("Rekognition:Training:Classifier is missing.");
        }
        else
        {
            Check(failures, "Classifier", c.Epochs, c.BatchSize, c.LearningRate, c.WeightDecay, c.Threads, c.CheckpointEveryEpochs);
            Require(failures, c.InputSize >= 1 && c.Width >= 1, "Classifier:InputSize and Classifier:Width must be at least 1");
            Require(failures, c.LabelSmoothing is >= 0 and < 1, "Classifier:LabelSmoothing must be at least 0 and below 1");
            Require(failures, c.ImageCacheBytes >= 0, "Classifier:ImageCacheBytes must not be negative");
            try
            {
                c.Augmentation?.Validate();
            }
            catch (ArgumentException ex)
            {
                failures.Add($"Rekognition:Training:Classifier:Augmentation: {ex.Message}");
            }
        }

        if (options.Detector is not { } d)
        {
            failures.Add("Rekognition:Training:Detector is missing.");
        }
        else
        {
            Check(failures, "Detector", d.Epochs, d.BatchSize, d.LearningRate, d.WeightDecay, d.Threads, d.CheckpointEveryEpochs);
            Require(failures, float.IsFinite(d.WarmupEpochs) && d.WarmupEpochs >= 0, "Detector:WarmupEpochs must not be negative");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string part, int epochs, int batchSize, float learningRate, float weightDecay, int threads, int checkpointEvery)
    {
        Require(failures, epochs >= 0, $"{part}:Epochs must not be negative");
        Require(failures, batchSize >= 1, $"{part}:BatchSize must be at least 1");
        Require(failures, float.IsFinite(learningRate) && learningRate >= 0, $"{part}:LearningRate must be a number, not negative");
        Require(failures, float.IsFinite(weightDecay) && weightDecay >= 0, $"{part}:WeightDecay must be a number, not negative");
        Require(failures, threads >= 0, $"{part}:Threads must not be negative (0: ONNX Runtime's default)");
        Require(failures, checkpointEvery >= 0, $"{part}:CheckpointEveryEpochs must not be negative (0: never)");
    }

    private static void Require(List<string> failures, bool ok, string what)
    {
        if (!ok)
        {
            failures.Add($"Rekognition:Training:{what}.");
        }
    }
}
