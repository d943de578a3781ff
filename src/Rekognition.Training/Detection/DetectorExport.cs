using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Detection;

/// <summary>
/// Appends the detector's decoding to its exported inference graph, so the package's outputs are
/// ready-to-read boxes and scores: boxes [N, locations, 4] as (x1, y1, x2, y2) ratios of the input and
/// scores [N, locations, labels] = σ(objectness)·σ(class), or σ(class) for a YOLOv8-style head's rows (<see cref="DflRows"/>,
/// no objectness). Suppression stays outside the graph: the runtime
/// applies per-label non-maximum suppression, the request's MinConfidence and the package's thresholds after it.
/// </summary>
internal static class DetectorExport
{
    // The shape of the [width, height, width, height] divisor (copied into the graph).
    private static readonly long[] InputSizeShape = [4];

    /// <summary>The boxes output's name.</summary>
    public const string BoxesOutput = "boxes";

    /// <summary>The scores output's name.</summary>
    public const string ScoresOutput = "scores";

    /// <summary>
    /// Rewrites <paramref name="exported"/> (whose output is the raw rows) in place to output decoded boxes and scores;
    /// <paramref name="regMax"/> above 0: the rows are a YOLOv8-style head's, 4·regMax distance bins and class logits.
    /// </summary>
    public static ModelProto AppendDecoding(ModelProto exported, DetectionGrid grid, int labels, int regMax = 0)
    {
        ArgumentNullException.ThrowIfNull(exported);
        ArgumentNullException.ThrowIfNull(grid);
        var graph = exported.Graph;
        var raw = graph.Output.Single().Name;
        graph.Output.Clear();
        var e = new GraphEmitter(graph);
        var l = (long)grid.Count;
        string Columns(long from, long to) => DetectionRows.Columns(e, raw, from, to);
        var inputSize = e.Floats("det_input_size", new float[] { grid.Width, grid.Height, grid.Width, grid.Height }, InputSizeShape);
        if (regMax > 0)
        {
            e.Add("Div", new[] { DflRows.Boxes(e, raw, grid, regMax), inputSize }, new[] { BoxesOutput });
            e.Add("Sigmoid", new[] { Columns(4L * regMax, (4L * regMax) + labels) }, new[] { ScoresOutput });
        }
        else
        {
            e.Add("Div", new[] { DetectionRows.Boxes(e, raw, grid), inputSize }, new[] { BoxesOutput });
            e.Add("Mul", new[] { e.Op("Sigmoid", new[] { Columns(4, 5) }), e.Op("Sigmoid", new[] { Columns(5, 5L + labels) }) }, new[] { ScoresOutput });
        }

        graph.Output.Add(ConvLayers.ValueInfo(ScoresOutput, new long?[] { null, l, labels }));
        graph.Output.Add(ConvLayers.ValueInfo(BoxesOutput, new long?[] { null, l, 4 }));
        return exported;
    }
}
