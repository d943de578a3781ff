namespace Rekognition.Core.Evaluation;

/// <summary>
/// What pycocotools' <c>evaluateImg</c> returns for one image, category and area range: the image's detections of
/// the category (highest score first, at most 100) with, per IoU threshold, whether each matched a ground truth and
/// whether it is ignored, and how many of the image's ground truths count (are neither crowd nor out of range).
/// </summary>
internal sealed class CocoImageResult
{
    public CocoImageResult(double[] scores, int countedGroundTruth)
    {
        Scores = scores;
        Matched = new bool[CocoParameters.IouCount * scores.Length];
        Ignored = new bool[CocoParameters.IouCount * scores.Length];
        CountedGroundTruth = countedGroundTruth;
    }

    /// <summary>Detection scores, highest first (stable for equal scores).</summary>
    public double[] Scores { get; }

    /// <summary>Index <c>t * Scores.Length + d</c>: detection d matched some ground truth at IoU threshold t.</summary>
    public bool[] Matched { get; }

    /// <summary>Index <c>t * Scores.Length + d</c>: detection d is neither a TP nor an FP at threshold t.</summary>
    public bool[] Ignored { get; }

    /// <summary>Ground truths of the image and category that are not ignored in this area range.</summary>
    public int CountedGroundTruth { get; }
}
