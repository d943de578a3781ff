namespace Rekognition.Core.EvaluationViews;

/// <summary>One point of a precision-recall curve: the figures when the label is reported at or above <paramref name="Threshold"/>.</summary>
/// <param name="Threshold">The confidence threshold (0..1).</param>
/// <param name="Precision">Precision at that threshold.</param>
/// <param name="Recall">Recall at that threshold.</param>
public sealed record CurvePoint(double Threshold, double Precision, double Recall);

/// <summary>A label's precision-recall curve over the test images (image level: an image counts once per label, at its best score).</summary>
/// <param name="Label">The label.</param>
/// <param name="Points">Points from the highest threshold down.</param>
public sealed record LabelCurve(string Label, IReadOnlyList<CurvePoint> Points);

/// <summary>Sweeps the threshold over every score a label got on the test images.</summary>
internal static class PrecisionRecallCurves
{
    /// <summary>The curve of one label from each test image's best score for it and whether the image truly has it.</summary>
    public static LabelCurve Of(string label, IReadOnlyList<(double Score, bool Truth)> images) => Of(label, images, images.Count(i => i.Truth));

    /// <summary>The curve of one label from scored items (a detector's boxes) of which <paramref name="positives"/> could be found (recall's denominator).</summary>
    public static LabelCurve Of(string label, IReadOnlyList<(double Score, bool Truth)> images, int positives)
    {
        var points = new List<CurvePoint>();
        int truePositives = 0, falsePositives = 0;
        foreach (var group in images.OrderByDescending(i => i.Score).GroupBy(i => i.Score))
        {
            foreach (var (_, truth) in group)
            {
                if (truth)
                {
                    truePositives++;
                }
                else
                {
                    falsePositives++;
                }
            }

            points.Add(new CurvePoint(group.Key, (double)truePositives / (truePositives + falsePositives), positives == 0 ? 0 : (double)truePositives / positives));
        }

        return new LabelCurve(label, points);
    }
}
