using Rekognition.Core.Model;
using Rekognition.Core.Models;

namespace Rekognition.Core.Inference;

/// <summary>
/// Turns a model's raw predictions into DetectCustomLabels' answer, with the service's semantics:
/// without MinConfidence each label is kept when its confidence reaches its assumed threshold; with it,
/// when the confidence reaches MinConfidence (thresholds ignored, 0 keeps everything); then sorted by
/// confidence, highest first, and cut to MaxResults. Confidences are percentages; boxes come with the
/// service's Polygon (the four corners, clockwise from top-left).
/// </summary>
public static class CustomLabelFilter
{
    /// <summary>Keeps the predictions at or above the confidence (or each label's assumed threshold), most confident first, at most <paramref name="maxResults"/>.</summary>
    public static List<CustomLabel> Apply(IReadOnlyList<LabelPrediction> predictions, ModelPackageMetadata metadata, float? minConfidence, int? maxResults)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(metadata);
        // Few labels usually pass: start small rather than sized for every label (1000 for ImageNet).
        var kept = new List<(LabelPrediction Prediction, float Confidence)>(Math.Min(predictions.Count, 16));
        // No label's floor is below this one, so a confidence under it needs no per-label threshold lookup (a string
        // dictionary lookup per label was most of this method's time with 1000 labels, nearly all far below).
        var lowestFloor = minConfidence ?? LowestThreshold(metadata) * 100f;
        var labelCount = metadata.Labels.Count;
        // By index, not foreach: the list is usually a view over an array, and its enumerator would be allocated.
        for (var i = 0; i < predictions.Count; i++)
        {
            var prediction = predictions[i];
            if ((uint)prediction.LabelIndex >= (uint)labelCount || float.IsNaN(prediction.Score))
            {
                continue;
            }

            var confidence = Math.Clamp(prediction.Score, 0f, 1f) * 100f;
            if (confidence < lowestFloor)
            {
                continue;
            }

            var floor = minConfidence ?? metadata.ThresholdFor(metadata.Labels[prediction.LabelIndex]) * 100f;
            if (confidence >= floor)
            {
                kept.Add((prediction, confidence));
            }
        }

        kept.Sort(static (a, b) => b.Confidence.CompareTo(a.Confidence));
        var count = maxResults is { } max ? Math.Min(max, kept.Count) : kept.Count;
        var labels = new List<CustomLabel>(count);
        for (var i = 0; i < count; i++)
        {
            var (prediction, confidence) = kept[i];
            labels.Add(new CustomLabel
            {
                Name = metadata.Labels[prediction.LabelIndex],
                Confidence = confidence,
                Geometry = prediction.Box is { } box ? ToGeometry(box) : null,
            });
        }

        return labels;
    }

    /// <summary>The lowest threshold any label can have: the default, or an assumed one below it.</summary>
    private static float LowestThreshold(ModelPackageMetadata metadata)
    {
        var lowest = metadata.DefaultThreshold;
        foreach (var threshold in metadata.AssumedThresholds.Values)
        {
            // A NaN makes the bound NaN: then nothing is skipped and every label is looked up, as before.
            lowest = Math.Min(lowest, threshold);
        }

        return lowest;
    }

    private static Geometry ToGeometry(NormalizedBox box)
    {
        float left = box.Left, top = box.Top, right = box.Left + box.Width, bottom = box.Top + box.Height;
        return new Geometry
        {
            BoundingBox = new BoundingBox { Left = left, Top = top, Width = box.Width, Height = box.Height },
            Polygon = new List<Point>
            {
                new() { X = left, Y = top }, new() { X = right, Y = top }, new() { X = right, Y = bottom }, new() { X = left, Y = bottom },
            },
        };
    }
}
