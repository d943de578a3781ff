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

    private double[] _rc = new double[64];
    private double[] _pr = new double[64];

    public CocoAccumulator(int labelCount)
    {
        _labelCount = labelCount;
        _precision = new double[CocoParameters.IouCount * labelCount * CocoParameters.AreaCount];
        _recall = new double[_precision.Length * Caps];
        Array.Fill(_precision, double.NaN);
        Array.Fill(_recall, double.NaN);
    }

    /// <summary>Accumulates one category in one area range from its per-image results, in image order.</summary>
    public void Add(int label, int area, List<CocoImageResult> images)
    {
        int counted = 0;
        foreach (CocoImageResult image in images)
        {
            counted += image.CountedGroundTruth;
        }

        // No ground truth that counts: precision and recall stay undefined (-1 in pycocotools) and out of every mean.
        if (images.Count == 0 || counted == 0)
        {
            return;
        }

        for (int cap = 0; cap < Caps; cap++)
        {
            AddCap(label, area, cap, images, counted);
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

    private void AddCap(int label, int area, int cap, List<CocoImageResult> images, int counted)
    {
        int maxDetections = CocoParameters.MaxDetections[cap];

        // Pool each image's first maxDetections detections in image order, then sort stably by descending score.
        var pool = new List<(double Score, CocoImageResult Image, int Detection)>();
        foreach (CocoImageResult image in images)
        {
            int take = Math.Min(image.Scores.Length, maxDetections);
            for (int d = 0; d < take; d++)
            {
                pool.Add((image.Scores[d], image, d));
            }
        }

        var order = new int[pool.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Stable like numpy's mergesort: equal scores keep pooling order.
        Array.Sort(order, (a, b) =>
        {
            int byScore = pool[b].Score.CompareTo(pool[a].Score);
            return byScore != 0 ? byScore : a.CompareTo(b);
        });

        int n = order.Length;
        if (_rc.Length < n)
        {
            _rc = new double[Math.Max(n, _rc.Length * 2)];
            _pr = new double[_rc.Length];
        }

        for (int t = 0; t < CocoParameters.IouCount; t++)
        {
            int tp = 0, fp = 0;
            for (int i = 0; i < n; i++)
            {
                (_, CocoImageResult image, int d) = pool[order[i]];
                int k = (t * image.Scores.Length) + d;
                if (!image.Ignored[k])
                {
                    if (image.Matched[k])
                    {
                        tp++;
                    }
                    else
                    {
                        fp++;
                    }
                }

                // Ignored detections still take a place on the curve, repeating the previous point, as in pycocotools.
                _rc[i] = (double)tp / counted;
                _pr[i] = tp / (fp + (double)tp + CocoParameters.Epsilon);
            }

            int index = Index(t, label, area);
            _recall[(index * Caps) + cap] = n > 0 ? _rc[n - 1] : 0;
            if (cap == CocoParameters.LargestCap)
            {
                _precision[index] = SampledPrecision(n);
            }
        }
    }

    // Precision made monotone from the right, sampled at each recall point r at the first curve point with recall >= r
    // (np.searchsorted, side 'left'); recall points beyond the curve's last recall get 0.
    private double SampledPrecision(int n)
    {
        for (int i = n - 1; i > 0; i--)
        {
            if (_pr[i] > _pr[i - 1])
            {
                _pr[i - 1] = _pr[i];
            }
        }

        double sum = 0;
        int cursor = 0;
        double[] recallPoints = CocoParameters.RecallThresholds;
        for (int r = 0; r < CocoParameters.RecallCount; r++)
        {
            while (cursor < n && _rc[cursor] < recallPoints[r])
            {
                cursor++;
            }

            if (cursor == n)
            {
                break;
            }

            sum += _pr[cursor];
        }

        return sum / CocoParameters.RecallCount;
    }
}
