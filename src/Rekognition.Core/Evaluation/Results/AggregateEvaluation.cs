namespace Rekognition.Core.Evaluation;

/// <summary>
/// Whole-test-set metrics. Precision, recall and F1 are unweighted means of the per-label values over the labels that
/// have ground truth in the test set, as the service computes them (not the harmonic mean of the means).
/// </summary>
internal sealed class AggregateEvaluation
{
    /// <summary>Mean of the per-label precisions (the console's "Average precision").</summary>
    public double Precision { get; init; }

    /// <summary>Mean of the per-label recalls (the console's "Overall recall").</summary>
    public double Recall { get; init; }

    /// <summary>Mean of the per-label F1 scores (<c>EvaluationResult.F1Score</c>).</summary>
    public double F1Score { get; init; }

    /// <summary>Detection only: mAP, the mean of the per-label AP at IoU 0.5 (all-point interpolation).</summary>
    public double? AveragePrecision { get; init; }

    /// <summary>Detection only: mAR, the mean of the per-label recall at IoU 0.5 over all predictions.</summary>
    public double? AverageRecall { get; init; }

    /// <summary>
    /// Detection only, beyond the service: a COCO-style mAP@[.5:.95] (101-point interpolation) on the service's matching,
    /// without crowd regions, area ranges or the 100-detection cap, so it is not COCO-exact; the figure comparable with
    /// published COCO numbers is <see cref="ModelEvaluation.Coco"/>'s <see cref="CocoEvaluation.AveragePrecision"/>.
    /// </summary>
    public double? CocoMeanAveragePrecision { get; init; }
}
