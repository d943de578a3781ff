using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Detection;

/// <summary>
/// Appends a YOLOv8-style detector's decoding (<see cref="DflRows"/>) to its exported inference graph, in the outputs
/// <see cref="DetectorExport"/> gives: boxes [N, locations, 4] as (x1, y1, x2, y2) ratios of the input and scores
/// [N, locations, labels] = σ(class) (no objectness). Suppression and thresholds stay with the runtime.
/// </summary>
internal static class DflDetectorExport
{
    /// <summary>Rewrites <paramref name="exported"/> (whose output is the raw rows) in place to output decoded boxes and scores.</summary>
    public static ModelProto AppendDecoding(ModelProto exported, DetectionGrid grid, int labels, int regMax)
    {
        ArgumentNullException.ThrowIfNull(exported);
        ArgumentNullException.ThrowIfNull(grid);
        var graph = exported.Graph;
        var raw = graph.Output.Single().Name;
        graph.Output.Clear();
        var e = new GraphEmitter(graph);
        var boxColumns = 4L * regMax;
        var inputSize = e.Floats("det_input_size", new float[] { grid.Width, grid.Height, grid.Width, grid.Height }, new long[] { 4 });
        e.Add("Div", new[] { DflRows.Boxes(e, raw, grid, regMax), inputSize }, new[] { DetectorExport.BoxesOutput });
        e.Add("Sigmoid", new[] { DetectionRows.Columns(e, raw, boxColumns, boxColumns + labels) }, new[] { DetectorExport.ScoresOutput });
        graph.Output.Add(ConvLayers.ValueInfo(DetectorExport.ScoresOutput, new long?[] { null, grid.Count, labels }));
        graph.Output.Add(ConvLayers.ValueInfo(DetectorExport.BoxesOutput, new long?[] { null, grid.Count, 4 }));
        return exported;
    }
}
