using Rekognition.Training.Graphs;

namespace Rekognition.Training.Detection;

/// <summary>
/// Reads a YOLOv8-style detector's raw rows [N, locations, 4·regMax + labels] in graph ops: the first 4·regMax columns are
/// the distribution (logits over regMax bins, in strides) of each box side's distance from the location's anchor point
/// (its cell's centre) — left, top, right, bottom — and the rest are class logits. The one decoding the loss trains
/// and the exported model runs.
/// </summary>
internal static class DflRows
{
    /// <summary>The distance logits as [N, locations, 4, regMax].</summary>
    public static string DistanceLogits(GraphEmitter e, string rows, DetectionGrid grid, int regMax) =>
        e.Reshape(DetectionRows.Columns(e, rows, 0, 4L * regMax), -1, grid.Count, 4, regMax);

    /// <summary>The bin values 0..regMax−1, [regMax].</summary>
    public static string Bins(GraphEmitter e, int regMax) =>
        e.SharedFloats("dfl_bins", Enumerable.Range(0, regMax).Select(i => (float)i).ToArray(), new long[] { regMax });

    /// <summary>Each location's anchor point (cell centre, input pixels) [1, locations, 2] and stride [1, locations, 1].</summary>
    public static (string Anchors, string Strides) AnchorPoints(GraphEmitter e, DetectionGrid grid)
    {
        var l = (long)grid.Count;
        var anchors = grid.CellOffsets();
        var strides = grid.LocationStrides();
        for (var i = 0; i < grid.Count; i++)
        {
            anchors[2 * i] = (anchors[2 * i] + 0.5f) * strides[i];
            anchors[(2 * i) + 1] = (anchors[(2 * i) + 1] + 0.5f) * strides[i];
        }

        return (e.SharedFloats("dfl_anchors", anchors, new[] { 1L, l, 2 }), e.SharedFloats("dfl_strides", strides, new[] { 1L, l, 1 }));
    }

    /// <summary>
    /// Each row's box (x1, y1, x2, y2) in input pixels, [N, locations, 4]: the expected distance of each side (softmax over
    /// its bins, weighted by the bin values) in strides from the anchor point.
    /// </summary>
    public static string Boxes(GraphEmitter e, string rows, DetectionGrid grid, int regMax)
    {
        var probabilities = e.Op("Softmax", new[] { DistanceLogits(e, rows, grid, regMax) }, OnnxAttributes.Int("axis", -1));
        var distances = e.ReduceSum(e.Mul(probabilities, Bins(e, regMax)), new long[] { -1 }, keepDims: false);
        var (anchors, strides) = AnchorPoints(e, grid);
        var scaled = e.Mul(distances, strides);
        var (leftTop, rightBottom) = (DetectionRows.Columns(e, scaled, 0, 2), DetectionRows.Columns(e, scaled, 2, 4));
        return e.Op("Concat", new[] { e.Sub(anchors, leftTop), e.Add(anchors, rightBottom) }, OnnxAttributes.Int("axis", 2));
    }
}
