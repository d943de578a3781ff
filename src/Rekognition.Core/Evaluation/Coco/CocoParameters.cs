namespace Rekognition.Core.Evaluation;

/// <summary>
/// The fixed parameters of COCO's box evaluation (pycocotools <c>Params</c> for <c>iouType='bbox'</c>): ten IoU
/// thresholds, 101 recall points, four area ranges and three detection caps.
/// </summary>
internal static class CocoParameters
{
    /// <summary>Number of IoU thresholds (0.50:0.05:0.95).</summary>
    public const int IouCount = 10;

    /// <summary>Number of recall points (0:0.01:1).</summary>
    public const int RecallCount = 101;

    /// <summary>Area ranges: all, small, medium, large (in that order, as pycocotools indexes them).</summary>
    public const int AreaCount = 4;

    /// <summary>Index of the "all" area range.</summary>
    public const int AllAreas = 0;

    /// <summary>The detection caps 1, 10, 100; the last one also truncates each image's detections of a category.</summary>
    public static ReadOnlySpan<int> MaxDetections => [1, 10, 100];

    /// <summary>Index of the 100-detections cap, the one every AP figure uses.</summary>
    public const int LargestCap = 2;

    /// <summary>pycocotools caps the IoU a match needs at just under 1, so an IoU of 1 still matches at every threshold.</summary>
    public const double MaxIouThreshold = 1 - 1e-10;

    /// <summary>numpy's <c>np.spacing(1)</c>, added to precision's denominator exactly as pycocotools does.</summary>
    public const double Epsilon = 2.220446049250313e-16;

    /// <summary>
    /// Bounds of each area range in square pixels; both ends are inclusive (pycocotools ignores a box when
    /// <c>area &lt; lo or area &gt; hi</c>), so an area of exactly 32² counts as small and as medium.
    /// </summary>
    public static ReadOnlySpan<double> AreaLow => [0, 0, 32 * 32, 96 * 96];

    /// <summary>Upper bounds matching <see cref="AreaLow"/>.</summary>
    public static ReadOnlySpan<double> AreaHigh => [1e10, 32 * 32, 96 * 96, 1e10];

    /// <summary>IoU thresholds computed the way <c>np.linspace(.5, .95, 10)</c> does, bit for bit.</summary>
    public static readonly double[] IouThresholds = Linspace(0.5, 0.95, IouCount);

    /// <summary>Recall points computed the way <c>np.linspace(0, 1, 101)</c> does, bit for bit.</summary>
    public static readonly double[] RecallThresholds = Linspace(0, 1, RecallCount);

    /// <summary>Whether <paramref name="area"/> lies outside area range <paramref name="range"/>.</summary>
    public static bool OutsideArea(double area, int range) => area < AreaLow[range] || area > AreaHigh[range];

    // numpy: y = arange(num) * ((stop - start) / (num - 1)) + start, then the last value set to stop.
    private static double[] Linspace(double start, double stop, int count)
    {
        double step = (stop - start) / (count - 1);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (i * step) + start;
        }

        values[^1] = stop;
        return values;
    }
}
