namespace Rekognition.Core.Evaluation;

/// <summary>
/// What pycocotools' <c>evaluateImg</c> yields for one label, pooled over the images in image order: every image's
/// detections of the label (best first within the image, at most 100) with, per area range, a bit per IoU threshold
/// saying whether the detection matched a ground truth and whether it is ignored; and per area range the number of
/// ground truths that count (neither crowd nor out of range).
/// </summary>
internal sealed class CocoLabelPool
{
    public CocoLabelPool()
    {
        for (int area = 0; area < CocoParameters.AreaCount; area++)
        {
            Matched[area] = [];
            Ignored[area] = [];
        }
    }

    /// <summary>Whether some image has ground truth or detections of the label (else pycocotools has no result for it).</summary>
    public bool HasImages { get; set; }

    /// <summary>Detection scores, image after image.</summary>
    public List<double> Scores { get; } = [];

    /// <summary>Each detection's place among its image's detections of the label (0 = best), for the 1/10/100 caps.</summary>
    public List<int> Ranks { get; } = [];

    /// <summary>Per area range, per detection: bit t set when it matched a ground truth at IoU threshold t.</summary>
    public List<ushort>[] Matched { get; } = new List<ushort>[CocoParameters.AreaCount];

    /// <summary>Per area range, per detection: bit t set when it is neither a TP nor an FP at IoU threshold t.</summary>
    public List<ushort>[] Ignored { get; } = new List<ushort>[CocoParameters.AreaCount];

    /// <summary>Per area range: ground truths that count.</summary>
    public int[] Counted { get; } = new int[CocoParameters.AreaCount];
}
