using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Backbones;

/// <summary>
/// Cuts a classification network at its global-average-pooled features: the last GlobalAveragePool (or
/// int8 QLinearGlobalAveragePool, dequantized with its own output scale and zero point), flattened to
/// [N, features]; everything after it (the original classifier) is removed.
/// </summary>
public static class PooledFeatureCut
{
    /// <summary>The features output's name.</summary>
    public const string FeaturesOutput = "pooled_features";

    /// <summary>Returns the cut model and the number of features per image.</summary>
    public static (ModelProto Model, int Features) Cut(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var cut = model.Clone();
        var graph = cut.Graph;
        var pool = graph.Node.LastOrDefault(n => n.OpType is "GlobalAveragePool" or "QLinearGlobalAveragePool")
            ?? throw new NotSupportedException("The backbone has no global average pooling to cut at.");
        var emit = new GraphEmitter(graph);
        var pooled = pool.Output[0];
        if (pool.OpType == "QLinearGlobalAveragePool")
        {
            // Inputs: X, x_scale, x_zero_point, y_scale, y_zero_point.
            pooled = emit.Op("DequantizeLinear", new[] { pooled, pool.Input[3], pool.Input[4] });
        }

        emit.Add("Flatten", new[] { pooled }, new[] { FeaturesOutput }, OnnxAttributes.Int("axis", 1));
        graph.Output.Clear();
        graph.Output.Add(OnnxTensors.ValueInfo(FeaturesOutput, OnnxTensors.Float));
        GraphPruning.KeepOnlyWhatFeeds(graph, new[] { FeaturesOutput });

        var channels = graph.Node.Where(n => n.OpType is "Conv" or "QLinearConv").Select(n => n.OpType == "Conv" ? n.Input[1] : n.Input[3]).ToList();
        var weights = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var features = channels.Count > 0 && weights.TryGetValue(channels[^1], out var w) ? (int)w.Dims[0] : 0;
        return (cut, features);
    }
}
