using System.Runtime.InteropServices;

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
    private ushort[] _taken = new ushort[16];
    private bool[] _crowd = new bool[16];
    private double[] _area = new double[16];
    private ushort[] _matched = new ushort[16];
    private ushort[] _ignoredDetections = new ushort[16];

    /// <summary>
    /// Matches <paramref name="detectionList"/> (already sorted by descending confidence, stable, and cut to 100) to
    /// <paramref name="truthList"/> (in input order) once per area range, and appends the outcome to <paramref name="pool"/>.
    /// </summary>
    public void Evaluate(List<GroundTruthObject> truthList, List<PredictedLabel> detectionList, CocoLabelPool pool)
    {
        ReadOnlySpan<GroundTruthObject> truths = CollectionsMarshal.AsSpan(truthList);
        ReadOnlySpan<PredictedLabel> detections = CollectionsMarshal.AsSpan(detectionList);
        int g = truths.Length, d = detections.Length;
        if (_iou.Length < g * d)
        {
            _iou = new double[Math.Max(g * d, _iou.Length * 2)];
        }

        if (_order.Length < g)
        {
            int size = Math.Max(g, _order.Length * 2);
            _order = new int[size];
            _ignored = new bool[size];
            _crowd = new bool[size];
            _area = new double[size];
            _taken = new ushort[size];
        }

        if (_matched.Length < d)
        {
            int size = Math.Max(d, _matched.Length * 2);
            _matched = new ushort[size];
            _ignoredDetections = new ushort[size];
        }

        // IoU[d, g]; against a crowd region the union is the detection's own area (pycocotools' bbIou).
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < g; j++)
            {
                _iou[(i * g) + j] = Overlap(detections[i].Box, truths[j].Box, truths[j].IsCrowd);
            }
        }

        for (int j = 0; j < g; j++)
        {
            _area[j] = truths[j].CocoArea;
        }

        pool.HasImages = true;
        for (int i = 0; i < d; i++)
        {
            pool.Scores.Add(detections[i].Confidence);
            pool.Ranks.Add(i);
        }

        for (int area = 0; area < CocoParameters.AreaCount; area++)
        {
            pool.Counted[area] += Match(truths, detections, area);
            for (int i = 0; i < d; i++)
            {
                pool.Matched[area].Add(_matched[i]);
                pool.Ignored[area].Add(_ignoredDetections[i]);
            }
        }
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

    // Fills _matched and _ignoredDetections for one area range; returns how many ground truths count in it.
    private int Match(ReadOnlySpan<GroundTruthObject> truths, ReadOnlySpan<PredictedLabel> detections, int area)
    {
        int g = truths.Length, d = detections.Length;

        // Ground truths that count first, ignored ones (crowd or outside the range) after, each group in input order.
        int counted = 0;
        for (int j = 0; j < g; j++)
        {
            if (!truths[j].IsCrowd && !CocoParameters.OutsideArea(_area[j], area))
            {
                _order[counted++] = j;
            }
        }

        int next = counted;
        for (int j = 0; j < g; j++)
        {
            if (truths[j].IsCrowd || CocoParameters.OutsideArea(_area[j], area))
            {
                _order[next++] = j;
            }
        }

        for (int s = 0; s < g; s++)
        {
            _ignored[s] = s >= counted;
            _crowd[s] = truths[_order[s]].IsCrowd;
        }

        Array.Clear(_matched, 0, d);
        Array.Clear(_ignoredDetections, 0, d);
        Array.Clear(_taken, 0, g);
        for (int t = 0; g > 0 && t < CocoParameters.IouCount; t++)
        {
            MatchAtThreshold(g, d, t);
        }

        // A detection that matched nothing and lies outside the range is ignored rather than a false positive.
        for (int i = 0; i < d; i++)
        {
            PixelBox box = detections[i].Box;
            if (CocoParameters.OutsideArea((double)box.Width * box.Height, area))
            {
                _ignoredDetections[i] |= (ushort)(~_matched[i] & IouThresholds.AllLevels);
            }
        }

        return counted;
    }

    private void MatchAtThreshold(int g, int d, int t)
    {
        ushort bit = (ushort)(1 << t);
        double threshold = Math.Min(CocoParameters.IouThresholds[t], CocoParameters.MaxIouThreshold);
        for (int i = 0; i < d; i++)
        {
            double best = threshold;
            int m = -1;
            for (int s = 0; s < g; s++)
            {
                int j = _order[s];

                // A matched ground truth is taken, unless it is a crowd region, which absorbs any number of detections.
                if ((_taken[s] & bit) != 0 && !_crowd[s])
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

            if (_ignored[m])
            {
                _ignoredDetections[i] |= bit;
            }

            _matched[i] |= bit;
            _taken[m] |= bit;
        }
    }
}
