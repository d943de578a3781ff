using System.Buffers;
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
    /// <summary>The labels DetectCustomLabels answers with, in the service's shape (boxes with their Polygon).</summary>
    public static List<CustomLabel> Apply(IReadOnlyList<LabelPrediction> predictions, ModelPackageMetadata metadata, float? minConfidence, int? maxResults) =>
        Apply(predictions, metadata, minConfidence, maxResults, static (name, confidence, box) => new CustomLabel
        {
            Name = name,
            Confidence = confidence,
            Geometry = box is { } b ? ToGeometry(b) : null,
        });

    /// <summary>
    /// The same filter with the caller's label shape: <paramref name="label"/> is given each kept label's name, its
    /// confidence (0-100) and its box, highest confidence first. The one filter the client and the direct ONNX
    /// detector share, so both answer alike.
    /// </summary>
    public static List<T> Apply<T>(IReadOnlyList<LabelPrediction> predictions, ModelPackageMetadata metadata, float? minConfidence, int? maxResults,
        Func<string, float, NormalizedBox?, T> label)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(label);
        // Pooled: few labels usually pass, and a call should allocate little beyond its answer (hot detect loops).
        var kept = ArrayPool<(LabelPrediction Prediction, float Confidence)>.Shared.Rent(Math.Max(predictions.Count, 1));
        try
        {
            var count = Keep(predictions, metadata, minConfidence, kept);
            var passed = kept.AsSpan(0, count);
            passed.Sort(static (a, b) => b.Confidence.CompareTo(a.Confidence));
            var answered = maxResults is { } max ? Math.Min(max, count) : count;
            var labels = new List<T>(answered);
            for (var i = 0; i < answered; i++)
            {
                var (prediction, confidence) = passed[i];
                labels.Add(label(metadata.Labels[prediction.LabelIndex], confidence, prediction.Box));
            }

            return labels;
        }
        finally
        {
            ArrayPool<(LabelPrediction, float)>.Shared.Return(kept);
        }
    }

    /// <summary>Writes the predictions that pass, with their confidence in percent, to <paramref name="kept"/>; returns how many.</summary>
    private static int Keep(IReadOnlyList<LabelPrediction> predictions, ModelPackageMetadata metadata, float? minConfidence, (LabelPrediction, float)[] kept)
    {
        var count = 0;
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
                kept[count++] = (prediction, confidence);
            }
        }

        return count;
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
