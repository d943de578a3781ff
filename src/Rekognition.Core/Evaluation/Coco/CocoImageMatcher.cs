namespace Rekognition.Core.Evaluation;

/// <summary>
/// pycocotools' <c>computeIoU</c> and <c>evaluateImg</c> for one image and category: greedy matching, at each IoU
/// threshold, of the detections (highest score first) to the ground truths, with crowd regions and boxes outside the
/// area range ignored. Reuses its scratch buffers from one call to the next.
/// </summary>
internal sealed class CocoImageMatcher
{
    private double[] _iou = new double[64];
    private int[] _order = new int[16];
    private bool[] _ignored = new bool[16];
    private bool[] _taken = new bool[16];

    /// <summary>
    /// Matches <paramref name="detections"/> (already sorted by descending confidence, stable, and cut to 100) to
    /// <paramref name="truths"/> (in input order) once per area range; returns one result per area range.
    /// </summary>
    public CocoImageResult[] Evaluate(IReadOnlyList<GroundTruthObject> truths, IReadOnlyList<PredictedLabel> detections)
    {
        int g = truths.Count, d = detections.Count;
        if (_iou.Length < g * d)
        {
            _iou = new double[Math.Max(g * d, _iou.Length * 2)];
        }

        if (_order.Length < g)
        {
            int size = Math.Max(g, _order.Length * 2);
            _order = new int[size];
            _ignored = new bool[size];
            _taken = new bool[size];
        }

        // IoU[d, g]; against a crowd region the union is the detection's own area (pycocotools' bbIou).
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < g; j++)
            {
                _iou[(i * g) + j] = Overlap(detections[i].Box, truths[j].Box, truths[j].IsCrowd);
            }
        }

        var scores = new double[d];
        for (int i = 0; i < d; i++)
        {
            scores[i] = detections[i].Confidence;
        }

        var results = new CocoImageResult[CocoParameters.AreaCount];
        for (int area = 0; area < CocoParameters.AreaCount; area++)
        {
            results[area] = Match(truths, detections, scores, area);
        }

        return results;
    }

    /// <summary>Box overlap as pycocotools computes it on [x, y, w, h] boxes (no +1 pixel).</summary>
    internal static double Overlap(in PixelBox detection, in PixelBox truth, bool crowd)
    {
        double w = Math.Min((double)detection.Left + detection.Width, (double)truth.Left + truth.Width) - Math.Max((double)detection.Left, truth.Left);
        if (w <= 0)
        {
            return 0;
        }

        double h = Math.Min((double)detection.Top + detection.Height, (double)truth.Top + truth.Height) - Math.Max((double)detection.Top, truth.Top);
        if (h <= 0)
        {
            return 0;
        }

        double intersection = w * h;
        double detectionArea = (double)detection.Width * detection.Height;
        double union = crowd ? detectionArea : detectionArea + ((double)truth.Width * truth.Height) - intersection;
        return intersection / union;
    }

    private CocoImageResult Match(IReadOnlyList<GroundTruthObject> truths, IReadOnlyList<PredictedLabel> detections, double[] scores, int area)
    {
        int g = truths.Count, d = detections.Count;

        // Ground truths that count first, ignored ones (crowd or outside the range) after, each group in input order.
        int counted = 0;
        for (int j = 0; j < g; j++)
        {
            if (!truths[j].IsCrowd && !CocoParameters.OutsideArea(truths[j].CocoArea, area))
            {
                _order[counted++] = j;
            }
        }

        int next = counted;
        for (int j = 0; j < g; j++)
        {
            if (truths[j].IsCrowd || CocoParameters.OutsideArea(truths[j].CocoArea, area))
            {
                _order[next++] = j;
            }
        }

        for (int s = 0; s < g; s++)
        {
            _ignored[s] = s >= counted;
        }

        var result = new CocoImageResult(scores, counted);
        if (g > 0)
        {
            for (int t = 0; t < CocoParameters.IouCount; t++)
            {
                MatchAtThreshold(truths, d, t, result);
            }
        }

        // A detection that matched nothing and lies outside the range is ignored rather than a false positive.
        for (int i = 0; i < d; i++)
        {
            PixelBox box = detections[i].Box;
            if (!CocoParameters.OutsideArea((double)box.Width * box.Height, area))
            {
                continue;
            }

            for (int t = 0; t < CocoParameters.IouCount; t++)
            {
                int k = (t * d) + i;
                result.Ignored[k] |= !result.Matched[k];
            }
        }

        return result;
    }

    private void MatchAtThreshold(IReadOnlyList<GroundTruthObject> truths, int d, int t, CocoImageResult result)
    {
        int g = truths.Count;
        Array.Clear(_taken, 0, g);
        double threshold = Math.Min(CocoParameters.IouThresholds[t], CocoParameters.MaxIouThreshold);
        for (int i = 0; i < d; i++)
        {
            double best = threshold;
            int m = -1;
            for (int s = 0; s < g; s++)
            {
                int j = _order[s];

                // A matched ground truth is taken, unless it is a crowd region, which absorbs any number of detections.
                if (_taken[s] && !truths[j].IsCrowd)
                {
                    continue;
                }

                // Already matched to a counted ground truth: ignored ones (sorted last) cannot take it away.
                if (m > -1 && !_ignored[m] && _ignored[s])
                {
                    break;
                }

                // Not below the best so far: on equal IoU the later ground truth wins, as in pycocotools.
                double iou = _iou[(i * g) + j];
                if (iou < best)
                {
                    continue;
                }

                best = iou;
                m = s;
            }

            if (m == -1)
            {
                continue;
            }

            int k = (t * d) + i;
            result.Ignored[k] = _ignored[m];
            result.Matched[k] = true;
            _taken[m] = true;
        }
    }
}
