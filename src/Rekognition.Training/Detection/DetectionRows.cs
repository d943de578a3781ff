using Rekognition.Training.Graphs;

namespace Rekognition.Training.Detection;

/// <summary>
/// Reads the detector's raw rows [N, locations, 5 + labels] in graph ops, as YOLOX lays them out: the one
/// decoding the loss trains and the exported model runs.
/// </summary>
internal static class DetectionRows
{
    /// <summary>Columns [from, to) of every row.</summary>
    public static string Columns(GraphEmitter e, string rows, long from, long to) =>
        e.Op("Slice", new[] { rows, e.Int64s(from), e.Int64s(to), e.Int64s(2) });

    /// <summary>
    /// Each row's box (x1, y1, x2, y2) in input pixels, [N, locations, 4]: centre (offset + cell)·stride, size
    /// e^(log size)·stride, the log size capped at <paramref name="maxLogSize"/> when given; on a grid with anchors,
    /// YOLOv5's decoding instead (<see cref="AnchorRows"/>).
    /// </summary>
    public static string Boxes(GraphEmitter e, string rows, DetectionGrid grid, float? maxLogSize = null)
    {
        if (grid.Anchors is not null)
        {
            return AnchorRows.Boxes(e, rows, grid);
        }

        var l = (long)grid.Count;
        var strides = e.Floats("det_strides", grid.LocationStrides(), new[] { 1L, l, 1 });
        var centre = e.Mul(e.Add(Columns(e, rows, 0, 2), e.Floats("det_cells", grid.CellOffsets(), new[] { 1L, l, 2 })), strides);
        var logSize = Columns(e, rows, 2, 4);
        if (maxLogSize is { } cap)
        {
            logSize = e.Op("Min", new[] { logSize, e.Scalar(cap) });
        }

        var half = e.Mul(e.Mul(e.Op("Exp", new[] { logSize }), strides), e.Scalar(0.5f));
        return e.Op("Concat", new[] { e.Sub(centre, half), e.Add(centre, half) }, OnnxAttributes.Int("axis", 2));
    }
}
