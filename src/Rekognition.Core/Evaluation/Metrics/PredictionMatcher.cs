namespace Rekognition.Core.Evaluation;

/// <summary>
/// Matches one image's predictions to its ground truth, greedily by descending confidence, each ground-truth
/// item taken at most once, separately at every IoU level. Reuses its scratch buffers across images.
/// </summary>
internal sealed class PredictionMatcher
{
    private const int InsertionSortLimit = 32;

    private int[] _order = new int[64];
    private float[] _sortKeys = new float[64];
    private double[] _iou = new double[64];
    private ushort[] _taken = new ushort[64];

    /// <summary>
    /// Fills, for each prediction of <paramref name="image"/> (in the image's order), its match mask (bit k set when
    /// it matched a ground-truth item at IoU level k) and the index of the ground-truth item it matched at IoU 0.5 (or -1).
    /// </summary>
    public void Match(EvaluationImage image, bool useBoxes, Span<ushort> masks, Span<int> matchedAtHalf)
    {
        ReadOnlySpan<PredictedLabel> predictions = image.Predictions;
        ReadOnlySpan<GroundTruthObject> objects = image.GroundTruthObjects;
        ReadOnlySpan<int> imageLabels = image.GroundTruthLabels;
        int groundTruthCount = useBoxes ? objects.Length : imageLabels.Length;

        EnsureCapacity(predictions.Length, groundTruthCount);
        Span<int> order = _order.AsSpan(0, predictions.Length);
        SortByConfidenceDescending(predictions, order);

        Span<ushort> taken = _taken.AsSpan(0, groundTruthCount);
        taken.Clear();
        Span<double> iou = _iou.AsSpan(0, groundTruthCount);
        ReadOnlySpan<double> levels = IouThresholds.Levels;

        foreach (int p in order)
        {
            ref readonly PredictedLabel prediction = ref predictions[p];
            bool anyCandidate = false;
            for (int g = 0; g < groundTruthCount; g++)
            {
                double value = -1;
                if (useBoxes)
                {
                    if (objects[g].LabelIndex == prediction.LabelIndex)
                    {
                        value = PixelBox.IntersectionOverUnion(prediction.Box, objects[g].Box);
                    }
                }
                else if (imageLabels[g] == prediction.LabelIndex)
                {
                    value = 1;
                }

                iou[g] = value;
                anyCandidate |= value >= levels[0];
            }

            ushort mask = 0;
            int atHalf = -1;
            if (anyCandidate)
            {
                for (int k = 0; k < IouThresholds.Count; k++)
                {
                    ushort bit = (ushort)(1 << k);
                    int best = -1;
                    double bestIou = -1;
                    for (int g = 0; g < groundTruthCount; g++)
                    {
                        double value = iou[g];
                        if (value >= levels[k] && value > bestIou && (taken[g] & bit) == 0)
                        {
                            best = g;
                            bestIou = value;
                        }
                    }

                    if (best < 0)
                    {
                        continue;
                    }

                    taken[best] |= bit;
                    mask |= bit;
                    if (k == 0)
                    {
                        atHalf = best;
                    }
                }
            }

            masks[p] = mask;
            matchedAtHalf[p] = atHalf;
        }
    }

    // Small images (the common case) use a stable insertion sort; larger ones fall back to Array.Sort on negated keys.
    private void SortByConfidenceDescending(ReadOnlySpan<PredictedLabel> predictions, Span<int> order)
    {
        int n = predictions.Length;
        if (n <= InsertionSortLimit)
        {
            for (int i = 0; i < n; i++)
            {
                float confidence = predictions[i].Confidence;
                int j = i;
                while (j > 0 && predictions[order[j - 1]].Confidence < confidence)
                {
                    order[j] = order[j - 1];
                    j--;
                }

                order[j] = i;
            }

            return;
        }

        Span<float> keys = _sortKeys.AsSpan(0, n);
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
            keys[i] = -predictions[i].Confidence;
        }

        keys.Sort(order);
    }

    private void EnsureCapacity(int predictionCount, int groundTruthCount)
    {
        if (_order.Length < predictionCount)
        {
            int size = Math.Max(predictionCount, _order.Length * 2);
            _order = new int[size];
            _sortKeys = new float[size];
        }

        if (_iou.Length < groundTruthCount)
        {
            int size = Math.Max(groundTruthCount, _iou.Length * 2);
            _iou = new double[size];
            _taken = new ushort[size];
        }
    }
}
