namespace Rekognition.Onnx.Detection.Decoding;

/// <summary>
/// Greedy per-label non-maximum suppression: candidates sorted by score, a candidate is kept unless a
/// kept candidate of the same label overlaps it with an IoU above the threshold.
/// </summary>
internal static class NonMaximumSuppression
{
    /// <summary>Suppresses in place; returns how many candidates are kept (they are moved to the front, by score).</summary>
    public static int Apply(Span<DetectionCandidate> candidates, float iouThreshold, int maxKept = int.MaxValue)
    {
        candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        var kept = 0;
        for (var i = 0; i < candidates.Length && kept < maxKept; i++)
        {
            ref readonly var candidate = ref candidates[i];
            var suppressed = false;
            for (var k = 0; k < kept; k++)
            {
                if (candidates[k].LabelIndex == candidate.LabelIndex && candidates[k].IoU(candidate) > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }

            if (!suppressed)
            {
                candidates[kept++] = candidate;
            }
        }

        return kept;
    }
}
