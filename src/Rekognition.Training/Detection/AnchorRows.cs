using Rekognition.Training.Graphs;

namespace Rekognition.Training.Detection;

/// <summary>
/// Reads an anchor-based (YOLOv5-style) detector's raw rows [N, locations, 5 + labels] in graph ops: centre
/// (2σ(t) − 0.5 + cell)·stride, size (2σ(t))²·anchor, then objectness and class logits — YOLOv5's decoding, which
/// bounds a box to 4 times its anchor and its centre to 1.5 cells around its own.
/// </summary>
internal static class AnchorRows
{
    /// <summary>Each row's box (x1, y1, x2, y2) in input pixels, [N, locations, 4].</summary>
    public static string Boxes(GraphEmitter e, string rows, DetectionGrid grid)
    {
        var l = (long)grid.Count;
        var strides = e.SharedFloats("anchor_strides", grid.LocationStrides(), new[] { 1L, l, 1 });
        var cells = e.SharedFloats("anchor_cells", grid.CellOffsets(), new[] { 1L, l, 2 });
        var anchors = e.SharedFloats("anchor_sizes", grid.AnchorSizes(), new[] { 1L, l, 2 });
        var two = e.Scalar(2f);
        var centre = e.Mul(e.Add(e.Sub(e.Mul(e.Op("Sigmoid", new[] { DetectionRows.Columns(e, rows, 0, 2) }), two), e.Scalar(0.5f)), cells), strides);
        var doubled = e.Mul(e.Op("Sigmoid", new[] { DetectionRows.Columns(e, rows, 2, 4) }), two);
        var half = e.Mul(e.Mul(e.Mul(doubled, doubled), anchors), e.Scalar(0.5f));
        return e.Op("Concat", new[] { e.Sub(centre, half), e.Add(centre, half) }, OnnxAttributes.Int("axis", 2));
    }
}
