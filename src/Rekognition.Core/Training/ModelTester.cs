using Rekognition.Core.Evaluation;
using Rekognition.Core.Images;
using Rekognition.Core.Inference;
using Rekognition.Core.Models;

namespace Rekognition.Core.Training;

/// <summary>
/// Runs a trained model on its test images, as the service does at the end of training, and gathers what
/// the evaluation needs: every label's score per image (boxes in pixels for detection) beside the ground truth.
/// </summary>
internal static class ModelTester
{
    public static async Task<EvaluationInput> RunAsync(IModelRuntime runtime, ModelPackage package, IReadOnlyList<TestImage> images, Storage.SourceRefResolver resolver, CancellationToken ct)
    {
        var detection = package.Metadata.Kind == ModelKind.Detection;
        var evaluated = new List<EvaluationImage>(images.Count);
        var host = await runtime.StartAsync(package, new InferenceUnits(1, 1), ct).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            foreach (var test in images)
            {
                ct.ThrowIfCancellationRequested();
                // Read beneath the image's root: a test image replaced by a link out since validation is skipped.
                var content = await Storage.SourceContent.ReadLocationAsync(resolver, test.Image.Path, int.MaxValue, ct).ConfigureAwait(false);
                var info = content.Image;
                if (content.Bytes is not { } bytes || !info.IsOk)
                {
                    continue;
                }

                var predictions = await host.DetectAsync(bytes, ct).ConfigureAwait(false);
                evaluated.Add(new EvaluationImage
                {
                    SourceRef = test.SourceRef,
                    Width = info.Width,
                    Height = info.Height,
                    GroundTruthLabels = detection ? [] : test.Image.Labels.ToArray(),
                    GroundTruthObjects = detection
                        ? test.Image.Boxes.Select(b => new GroundTruthObject(b.Label, ToPixels(b.Box, info), b.IsCrowd, b.AreaFraction * info.Width * info.Height)).ToArray()
                        : [],
                    Predictions = predictions
                        .Select(p => new PredictedLabel(p.LabelIndex, p.Score, p.Box is { } box ? ToPixels(box, info) : default))
                        .ToArray(),
                    GroundTruthManifestLine = test.ManifestLine,
                });
            }
        }

        return new EvaluationInput
        {
            TaskType = detection ? EvaluationTaskType.ObjectDetection : EvaluationTaskType.ImageClassification,
            Labels = package.Metadata.Labels,
            Images = evaluated,
        };
    }

    private static PixelBox ToPixels(NormalizedBox box, ImageInfo info) =>
        PixelBox.FromRatios(box.Left, box.Top, box.Width, box.Height, info.Width, info.Height);
}
