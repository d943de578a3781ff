namespace Rekognition.Core.Evaluation;

/// <summary>
/// pycocotools' <c>accumulate</c> and <c>summarize</c>: per category, area range and detection cap, pools the
/// images' detections by descending score (stable), builds the precision–recall curve, makes precision monotone from
/// the right and samples it at the 101 recall points; then averages into the twelve standard figures.
/// </summary>
internal sealed class CocoAccumulator
{
    private const int Caps = 3;

    private readonly int _labelCount;

    // Mean over the 101 recall points of the sampled precision, per [t, k, area] at 100 detections; NaN where undefined.
    private readonly double[] _precision;

    // Final recall per [t, k, area, cap]; NaN where undefined.
    private readonly double[] _recall;

    private double[] _rc = new double[640];
    private double[] _pr = new double[640];

    public CocoAccumulator(int labelCount)
    {
        _labelCount = labelCount;
        _precision = new double[CocoParameters.IouCount * labelCount * CocoParameters.AreaCount];
        _recall = new double[_precision.Length * Caps];
        Array.Fill(_precision, double.NaN);
        Array.Fill(_recall, double.NaN);
    }

    /// <summary>Accumulates one label from its pooled per-image results.</summary>
    public void Add(int label, CocoLabelPool pool)
    {
        // No image with ground truth or detections of the label: undefined (-1 in pycocotools) in every range.
        if (!pool.HasImages)
        {
            return;
        }

        int[] order = PoolOrder(pool.Scores);
        for (int area = 0; area < CocoParameters.AreaCount; area++)
        {
            // No ground truth that counts: precision and recall stay undefined and out of every mean.
            if (pool.Counted[area] == 0)
            {
                continue;
            }

            for (int cap = 0; cap < Caps; cap++)
            {
                AddCap(label, area, cap, pool, order);
            }
        }
    }

    /// <summary>The twelve figures; -1 for a figure no category defines.</summary>
    public CocoEvaluation Summarize()
    {
        var labelPrecision = new double[_labelCount];
        for (int k = 0; k < _labelCount; k++)
        {
            labelPrecision[k] = Mean(_precision, k, k + 1, 0, CocoParameters.IouCount, CocoParameters.AllAreas, -1);
        }

        return new CocoEvaluation
        {
            AveragePrecision = AveragePrecision(0, CocoParameters.IouCount, CocoParameters.AllAreas),
            AveragePrecision50 = AveragePrecision(0, 1, CocoParameters.AllAreas),
            AveragePrecision75 = AveragePrecision(5, 6, CocoParameters.AllAreas),
            AveragePrecisionSmall = AveragePrecision(0, CocoParameters.IouCount, 1),
            AveragePrecisionMedium = AveragePrecision(0, CocoParameters.IouCount, 2),
            AveragePrecisionLarge = AveragePrecision(0, CocoParameters.IouCount, 3),
            AverageRecall1 = AverageRecall(CocoParameters.AllAreas, 0),
            AverageRecall10 = AverageRecall(CocoParameters.AllAreas, 1),
            AverageRecall100 = AverageRecall(CocoParameters.AllAreas, 2),
            AverageRecallSmall = AverageRecall(1, 2),
            AverageRecallMedium = AverageRecall(2, 2),
            AverageRecallLarge = AverageRecall(3, 2),
            LabelAveragePrecisions = labelPrecision,
        };
    }

    private double AveragePrecision(int fromIou, int toIou, int area) =>
        Mean(_precision, 0, _labelCount, fromIou, toIou, area, -1);

    private double AverageRecall(int area, int cap) =>
        Mean(_recall, 0, _labelCount, 0, CocoParameters.IouCount, area, cap);

    // The mean of the defined entries, as pycocotools' np.mean(s[s > -1]); every defined [t, k] carries 101 recall points, so the mean of per-[t, k] means is the same.
    private double Mean(double[] values, int fromLabel, int toLabel, int fromIou, int toIou, int area, int cap)
    {
        double sum = 0;
        int count = 0;
        for (int t = fromIou; t < toIou; t++)
        {
            for (int k = fromLabel; k < toLabel; k++)
            {
                int index = Index(t, k, area);
                double value = cap < 0 ? values[index] : values[(index * Caps) + cap];
                if (!double.IsNaN(value))
                {
                    sum += value;
                    count++;
                }
            }
        }

        return count == 0 ? -1 : sum / count;
    }

    private int Index(int t, int label, int area) => (((t * _labelCount) + label) * CocoParameters.AreaCount) + area;

    // The pooled detections by descending score, stable like numpy's mergesort (equal scores keep pooling order). The
    // same order serves every area range and cap: keeping only the detections under a cap keeps their relative order.
    private static int[] PoolOrder(List<double> scores)
    {
        int n = scores.Count;
        var keys = new double[n];
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            keys[i] = -scores[i];
            order[i] = i;
        }

        Array.Sort(keys, order);

        // Array.Sort is not stable: put each run of equal scores back in pooling order.
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(order, start, end - start);
            }

            start = end;
        }

        return order;
    }

    private void AddCap(int label, int area, int cap, CocoLabelPool pool, int[] order)
    {
        int maxDetections = CocoParameters.MaxDetections[cap];
        int counted = pool.Counted[area];
        List<ushort> matched = pool.Matched[area], ignored = pool.Ignored[area];
        List<int> ranks = pool.Ranks;
        int capacity = order.Length;
        if (_rc.Length < capacity * CocoParameters.IouCount)
        {
            _rc = new double[capacity * CocoParameters.IouCount];
            _pr = new double[_rc.Length];
        }

        // One pass builds the curve at every IoU threshold: point i of threshold t at [t * capacity + i]. The smaller caps
        // only need the final recall, so they only count.
        Span<int> tp = stackalloc int[CocoParameters.IouCount];
        Span<int> fp = stackalloc int[CocoParameters.IouCount];
        int n = 0;
        if (cap != CocoParameters.LargestCap)
        {
            foreach (int i in order)
            {
                if (ranks[i] < maxDetections)
                {
                    ushort counts = (ushort)(matched[i] & ~ignored[i]);
                    for (int t = 0; t < CocoParameters.IouCount; t++)
                    {
                        tp[t] += (counts >> t) & 1;
                    }

                    n++;
                }
            }

            for (int t = 0; t < CocoParameters.IouCount; t++)
            {
                _recall[(Index(t, label, area) * Caps) + cap] = n > 0 ? (double)tp[t] / counted : 0;
            }

            return;
        }

        foreach (int i in order)
        {
            if (ranks[i] >= maxDetections)
            {
                continue;
            }

            ushort hit = matched[i], skip = ignored[i];
            for (int t = 0; t < CocoParameters.IouCount; t++)
            {
                int bit = 1 << t;

                // Ignored detections still take a place on the curve, repeating the previous point, as in pycocotools.
                if ((skip & bit) == 0)
                {
                    if ((hit & bit) != 0)
                    {
                        tp[t]++;
                    }
                    else
                    {
                        fp[t]++;
                    }
                }

                int k = (t * capacity) + n;
                _rc[k] = (double)tp[t] / counted;
                _pr[k] = tp[t] / (fp[t] + (double)tp[t] + CocoParameters.Epsilon);
            }

            n++;
        }

        for (int t = 0; t < CocoParameters.IouCount; t++)
        {
            int index = Index(t, label, area);
            Span<double> rc = _rc.AsSpan(t * capacity, n);
            Span<double> pr = _pr.AsSpan(t * capacity, n);
            _recall[(index * Caps) + cap] = n > 0 ? rc[n - 1] : 0;
            if (cap == CocoParameters.LargestCap)
            {
                _precision[index] = SampledPrecision(rc, pr);
            }
        }
    }

    // Precision made monotone from the right, sampled at each recall point r at the first curve point with recall >= r
    // (np.searchsorted, side 'left'); recall points beyond the curve's last recall get 0.
    private static double SampledPrecision(ReadOnlySpan<double> rc, Span<double> pr)
    {
        int n = rc.Length;
        for (int i = n - 1; i > 0; i--)
        {
            if (pr[i] > pr[i - 1])
            {
                pr[i - 1] = pr[i];
            }
        }

        double sum = 0;
        int cursor = 0;
        double[] recallPoints = CocoParameters.RecallThresholds;
        for (int r = 0; r < CocoParameters.RecallCount; r++)
        {
            while (cursor < n && rc[cursor] < recallPoints[r])
            {
                cursor++;
            }

            if (cursor == n)
            {
                break;
            }

            sum += pr[cursor];
        }

        return sum / CocoParameters.RecallCount;
    }
}
