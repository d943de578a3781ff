using Rekognition.Core.Evaluation;
using Rekognition.Core.Inference;

namespace Rekognition.Core.EvaluationViews;

/// <summary>
/// A detector's predictions on one test image matched to its ground-truth boxes, for box-level precision-recall
/// curves: each label's predictions, highest score first, take the unmatched ground-truth box of that label they
/// overlap most at IoU 0.5 or more (a true positive) or none (a false positive); ground truth never matched lowers recall.
/// </summary>
internal static class BoxMatching
{
    private const double MinIou = 0.5;

    /// <summary>Adds each prediction's (score, true positive) to its label's list and each ground-truth box to its label's count.</summary>
    public static void Add(
        ImageEvaluation image, IReadOnlyList<LabelPrediction> predictions, int width, int height, IReadOnlyList<string> labels,
        List<(double Score, bool Truth)>[] scores, int[] groundTruthCounts)
    {
        for (var label = 0; label < labels.Count; label++)
        {
            var truth = image.GroundTruthBoxes.Where(b => b.Label == labels[label]).Select(b => new PixelBox(b.Box[0], b.Box[1], b.Box[2], b.Box[3])).ToList();
            groundTruthCounts[label] += truth.Count;
            var matched = new bool[truth.Count];
            foreach (var prediction in predictions.Where(p => p.LabelIndex == label && p.Box is not null).OrderByDescending(p => p.Score))
            {
                var b = prediction.Box!.Value;
                var box = PixelBox.FromRatios(b.Left, b.Top, b.Width, b.Height, width, height);
                int best = -1;
                var bestIou = MinIou;
                for (var g = 0; g < truth.Count; g++)
                {
                    var iou = matched[g] ? 0 : PixelBox.IntersectionOverUnion(box, truth[g]);
                    if (iou >= bestIou)
                    {
                        (best, bestIou) = (g, iou);
                    }
                }

                if (best >= 0)
                {
                    matched[best] = true;
                }

                scores[label].Add((prediction.Score, best >= 0));
            }
        }
    }
}
