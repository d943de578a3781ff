namespace Rekognition.Core.Evaluation;

/// <summary>The metrics of one label on the test set.</summary>
internal sealed class LabelEvaluation
{
    /// <summary>Label name.</summary>
    public required string Label { get; init; }

    /// <summary>Index of the label in <see cref="EvaluationInput.Labels"/>.</summary>
    public int LabelIndex { get; init; }

    /// <summary>Test images whose ground truth carries the label (the summary's <c>NumberOfTestingImages</c>).</summary>
    public int NumberOfTestingImages { get; init; }

    /// <summary>Ground-truth items of the label: boxes for detection, images for classification.</summary>
    public int GroundTruthCount { get; init; }

    /// <summary>Predictions of the label, at any confidence.</summary>
    public int PredictionCount { get; init; }

    /// <summary>False when the test set has no ground truth for the label; such a label is left out of the aggregates and the summary file.</summary>
    public bool HasGroundTruth => GroundTruthCount > 0;

    /// <summary>
    /// Assumed threshold (0–1): the confidence cut-off with the best F1 on the test set (ties go to the higher cut-off),
    /// placed midway between the lowest score it keeps and the next lower score, so that new images scoring a little
    /// under the test set's lowest true positive are still returned; 0.5 when no cut-off gives an F1 above 0.
    /// Predictions with confidence ≥ threshold count as positive.
    /// </summary>
    public float Threshold { get; init; }

    /// <summary>True positives at the assumed threshold.</summary>
    public int TruePositives { get; init; }

    /// <summary>False positives at the assumed threshold.</summary>
    public int FalsePositives { get; init; }

    /// <summary>False negatives at the assumed threshold (ground-truth items not matched by a prediction at or above it).</summary>
    public int FalseNegatives { get; init; }

    /// <summary>TP / (TP + FP) at the assumed threshold; 0 when nothing is predicted at or above it.</summary>
    public double Precision { get; init; }

    /// <summary>TP / (TP + FN) at the assumed threshold; 0 without ground truth.</summary>
    public double Recall { get; init; }

    /// <summary>2PR / (P + R) at the assumed threshold; 0 when P + R is 0.</summary>
    public double F1Score { get; init; }

    /// <summary>Average precision at IoU 0.5: area under the precision–recall curve with all-point interpolation.</summary>
    public double AveragePrecision { get; init; }

    /// <summary>Recall at IoU 0.5 with every prediction counted, whatever its confidence.</summary>
    public double AverageRecall { get; init; }

    /// <summary>COCO-style average precision: mean over IoU 0.5:0.05:0.95 of the 101-point interpolated AP.</summary>
    public double CocoAveragePrecision { get; init; }

    /// <summary>The precision–recall curve at IoU 0.5, one point per distinct confidence, highest confidence first.</summary>
    public required IReadOnlyList<PrecisionRecallPoint> PrecisionRecallCurve { get; init; }
}
