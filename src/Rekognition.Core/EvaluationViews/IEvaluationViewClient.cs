namespace Rekognition.Core.EvaluationViews;

/// <summary>One label's figures on the test set, as the evaluation summary file has them.</summary>
/// <param name="Label">The label.</param>
/// <param name="TestImages">Test images with the label.</param>
/// <param name="Threshold">The assumed threshold (0..1).</param>
/// <param name="Precision">Precision at the threshold.</param>
/// <param name="Recall">Recall at the threshold.</param>
/// <param name="F1Score">F1 at the threshold.</param>
public sealed record LabelFigures(string Label, int TestImages, double Threshold, double Precision, double Recall, double F1Score);

/// <summary>What the model made of one label on one test image (a box for detection models, in pixels).</summary>
/// <param name="Label">The label.</param>
/// <param name="Outcome">TRUE_POSITIVE, FALSE_POSITIVE, FALSE_NEGATIVE or TRUE_NEGATIVE.</param>
/// <param name="Confidence">The model's confidence (0..1); 0 for a ground truth nothing found.</param>
/// <param name="Box">Left, top, width, height in pixels, for detection.</param>
public sealed record ImageOutcome(string Label, string Outcome, double Confidence, int[]? Box);

/// <summary>One test image: its ground truth and the outcomes of the model on it.</summary>
/// <param name="SourceRef">The image.</param>
/// <param name="GroundTruth">Its labels (image-level) or box labels.</param>
/// <param name="GroundTruthBoxes">Its ground-truth boxes (label, left, top, width, height), for detection.</param>
/// <param name="Outcomes">The model's outcomes.</param>
public sealed record ImageEvaluation(string SourceRef, IReadOnlyList<string> GroundTruth, IReadOnlyList<(string Label, int[] Box)> GroundTruthBoxes, IReadOnlyList<ImageOutcome> Outcomes);

/// <summary>A trained version's evaluation: the summary's figures and the per-image outcomes of its test snapshot.</summary>
/// <param name="Precision">Overall precision.</param>
/// <param name="Recall">Overall recall.</param>
/// <param name="F1Score">Overall F1.</param>
/// <param name="Labels">Per-label figures.</param>
/// <param name="Images">Per-image outcomes.</param>
public sealed record VersionEvaluation(double Precision, double Recall, double F1Score, IReadOnlyList<LabelFigures> Labels, IReadOnlyList<ImageEvaluation> Images)
{
    /// <summary>A detector's COCO mAP (AP at IoU 0.50:0.95) from the summary; null for a classifier.</summary>
    public double? MeanAveragePrecision { get; init; }
}

/// <summary>Reads a trained version's evaluation files back (not a service operation). Registered by AddRekognitionCustomLabels.</summary>
public interface IEvaluationViewClient
{
    /// <summary>The evaluation of a version whose training completed.</summary>
    /// <exception cref="Model.ResourceNotReadyException">The version has no evaluation (yet).</exception>
    Task<VersionEvaluation> GetEvaluationAsync(string projectVersionArn, CancellationToken cancellationToken = default);

    /// <summary>
    /// Each label's precision-recall curve on the version's test images: the trained model runs on them once in a
    /// temporary session (as the quick test does), the threshold sweeps every score it gives, and the curves are kept
    /// beside the version's package for later views. A classifier's curve is at image level (its best score per image);
    /// a detector's at box level (a box matched to an unmatched ground-truth box of its label at IoU 0.5 or more is a
    /// true positive, any other a false positive; recall counts the ground-truth boxes).
    /// </summary>
    /// <exception cref="Model.ResourceNotReadyException">The version has no evaluation (yet).</exception>
    Task<IReadOnlyList<LabelCurve>> GetPrecisionRecallCurvesAsync(string projectVersionArn, CancellationToken cancellationToken = default);
}
