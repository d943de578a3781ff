namespace Rekognition.Core.Evaluation;

/// <summary>
/// Computes one label's metrics from its predictions sorted by descending confidence (given as negated confidences)
/// and their IoU match masks. Predictions of equal confidence are always taken together, so the result does not
/// depend on how ties were ordered.
/// </summary>
internal sealed class LabelMetricsCalculator
{
    /// <summary>The assumed threshold when no cut-off gives an F1 above 0 (no positive in the test set, or no hit).</summary>
    public const float FallbackThreshold = 0.5f;

    private const int CocoRecallPoints = 101;

    private double[] _recall = new double[64];
    private double[] _precision = new double[64];

    public LabelEvaluation Compute(
        string label, int labelIndex, ReadOnlySpan<float> negatedConfidences, ReadOnlySpan<ushort> masks,
        int groundTruthCount, int numberOfTestingImages)
    {
        int n = negatedConfidences.Length;
        if (_recall.Length < n)
        {
            _recall = new double[Math.Max(n, _recall.Length * 2)];
            _precision = new double[_recall.Length];
        }

        var curve = new List<PrecisionRecallPoint>();
        int tp = 0, fp = 0;
        double bestF1 = 0;
        float threshold = FallbackThreshold;
        int bestTp = 0, bestFp = -1, bestEnd = 0;
        for (int i = 0; i < n;)
        {
            float key = negatedConfidences[i];
            for (; i < n && negatedConfidences[i] == key; i++)
            {
                if ((masks[i] & 1) != 0)
                {
                    tp++;
                }
                else
                {
                    fp++;
                }
            }

            double precision = (double)tp / (tp + fp);
            double recall = groundTruthCount > 0 ? (double)tp / groundTruthCount : 0;
            double f1 = F1(tp, fp, groundTruthCount - tp);
            curve.Add(new PrecisionRecallPoint(-key, precision, recall));

            // Strictly greater: walking from the highest cut-off down, a tie keeps the higher threshold.
            if (f1 > bestF1)
            {
                bestF1 = f1;
                threshold = -key;
                bestTp = tp;
                bestFp = fp;
                bestEnd = i;
            }
        }

        if (bestFp >= 0 && bestEnd < n)
        {
            threshold = Midway(threshold, -negatedConfidences[bestEnd]);
        }

        if (bestFp < 0)
        {
            // No cut-off found a true positive, so TP is 0 at every threshold; count what lies at or above the fallback.
            bestTp = 0;
            bestFp = CountAtOrAbove(negatedConfidences, threshold);
        }

        double bestPrecision = bestTp + bestFp > 0 ? (double)bestTp / (bestTp + bestFp) : 0;
        double bestRecall = groundTruthCount > 0 ? (double)bestTp / groundTruthCount : 0;
        return new LabelEvaluation
        {
            Label = label,
            LabelIndex = labelIndex,
            NumberOfTestingImages = numberOfTestingImages,
            GroundTruthCount = groundTruthCount,
            PredictionCount = n,
            Threshold = threshold,
            TruePositives = bestTp,
            FalsePositives = bestFp,
            FalseNegatives = groundTruthCount - bestTp,
            Precision = bestPrecision,
            Recall = bestRecall,
            F1Score = bestF1,
            AveragePrecision = AllPointAveragePrecision(curve),
            AverageRecall = groundTruthCount > 0 ? (double)tp / groundTruthCount : 0,
            CocoAveragePrecision = CocoAveragePrecision(negatedConfidences, masks, groundTruthCount),
            PrecisionRecallCurve = curve,
        };
    }

    /// <summary>
    /// Every cut-off in (next lower score, lowest kept score] gives the same counts on the test set; the lowest kept
    /// score itself would drop a new image scoring a hair below it. The middle of the gap is the cut-off with the
    /// widest margin on both sides, as a maximum-margin classifier would place it.
    /// </summary>
    internal static float Midway(float lowestKept, float nextLower)
    {
        float middle = (float)((lowestKept + (double)nextLower) / 2);
        return middle > nextLower && middle <= lowestKept ? middle : lowestKept;
    }

    internal static double F1(int tp, int fp, int fn) => tp == 0 ? 0 : 2.0 * tp / ((2.0 * tp) + fp + fn);

    private static int CountAtOrAbove(ReadOnlySpan<float> negatedConfidences, float threshold)
    {
        int count = 0;
        while (count < negatedConfidences.Length && -negatedConfidences[count] >= threshold)
        {
            count++;
        }

        return count;
    }

    // Sum over recall steps of the best precision reachable at that recall or beyond (precision envelope).
    private static double AllPointAveragePrecision(List<PrecisionRecallPoint> curve)
    {
        double area = 0;
        double envelope = 0;
        for (int k = curve.Count - 1; k >= 0; k--)
        {
            envelope = Math.Max(envelope, curve[k].Precision);
            double previousRecall = k > 0 ? curve[k - 1].Recall : 0;
            area += (curve[k].Recall - previousRecall) * envelope;
        }

        return area;
    }

    private double CocoAveragePrecision(ReadOnlySpan<float> negatedConfidences, ReadOnlySpan<ushort> masks, int groundTruthCount)
    {
        if (groundTruthCount == 0)
        {
            return 0;
        }

        double sum = 0;
        for (int level = 0; level < IouThresholds.Count; level++)
        {
            sum += InterpolatedAveragePrecision(negatedConfidences, masks, groundTruthCount, level);
        }

        return sum / IouThresholds.Count;
    }

    // COCO's 101-point interpolation: mean over recall r in {0, 0.01, ..., 1} of the envelope precision at the first point with recall >= r.
    private double InterpolatedAveragePrecision(ReadOnlySpan<float> negatedConfidences, ReadOnlySpan<ushort> masks, int groundTruthCount, int level)
    {
        int n = negatedConfidences.Length;
        int bit = 1 << level;
        int tp = 0, fp = 0, points = 0;
        for (int i = 0; i < n;)
        {
            float key = negatedConfidences[i];
            for (; i < n && negatedConfidences[i] == key; i++)
            {
                if ((masks[i] & bit) != 0)
                {
                    tp++;
                }
                else
                {
                    fp++;
                }
            }

            _recall[points] = (double)tp / groundTruthCount;
            _precision[points] = (double)tp / (tp + fp);
            points++;
        }

        for (int k = points - 2; k >= 0; k--)
        {
            _precision[k] = Math.Max(_precision[k], _precision[k + 1]);
        }

        double sum = 0;
        int cursor = 0;
        for (int r = 0; r < CocoRecallPoints; r++)
        {
            double target = r / 100.0;
            while (cursor < points && _recall[cursor] < target)
            {
                cursor++;
            }

            if (cursor == points)
            {
                break;
            }

            sum += _precision[cursor];
        }

        return sum / CocoRecallPoints;
    }
}
