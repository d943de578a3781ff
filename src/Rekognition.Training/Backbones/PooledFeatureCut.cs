using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Backbones;

/// <summary>
/// Cuts a classification network at its global-average-pooled features, found by what they compute: the last
/// GlobalAveragePool (or int8 QLinearGlobalAveragePool, dequantized with its own output scale and zero point), an
/// AveragePool whose window is the whole map (as old exports such as ML.NET's ResNet18 write it; it becomes a
/// GlobalAveragePool), or a ReduceMean over the two spatial axes; flattened to [N, features], with the batch axis
/// dynamic. Everything after it (the original classifier) is removed.
/// </summary>
internal static class PooledFeatureCut
{
    /// <summary>The features output's name.</summary>
    public const string FeaturesOutput = "pooled_features";

    /// <summary>Returns the cut model and the number of features per image.</summary>
    /// <exception cref="NotSupportedException">The network does not take an image, or has no global average pooling.</exception>
    public static (ModelProto Model, int Features) Cut(ModelProto model, string name = "backbone")
    {
        ArgumentNullException.ThrowIfNull(model);
        var cut = model.Clone();
        var graph = cut.Graph;
        var input = ImageInput.FindImage(graph, name);
        ImageInput.MakeBatchDynamic(graph, name);
        var pool = FindPool(cut, input)
            ?? throw new NotSupportedException(
                $"The backbone {name} has no pooled feature map to cut at: looked for a GlobalAveragePool, an AveragePool whose window covers the whole map, " +
                "or a ReduceMean over the spatial axes (2, 3) of a convolutional map.");
        var emit = new GraphEmitter(graph);
        var pooled = pool.Output[0];
        if (pool.OpType == "QLinearGlobalAveragePool")
        {
            // Inputs: X, x_scale, x_zero_point, y_scale, y_zero_point.
            pooled = emit.Op("DequantizeLinear", new[] { pooled, pool.Input[3], pool.Input[4] });
        }
        else if (pool.OpType == "AveragePool")
        {
            // The same mean, written so it stays the mean whatever the batch, and the gradients know it.
            pool.OpType = "GlobalAveragePool";
            pool.Attribute.Clear();
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

    /// <summary>The last node that averages a [N, C, H, W] map over H and W, or null.</summary>
    private static NodeProto? FindPool(ModelProto model, ValueInfoProto input)
    {
        var graph = model.Graph;
        var global = graph.Node.LastOrDefault(n => n.OpType is "GlobalAveragePool" or "QLinearGlobalAveragePool");
        var reduce = graph.Node.LastOrDefault(n => n.OpType == "ReduceMean" && IsSpatial(graph, n));
        var averages = graph.Node.Where(n => n.OpType == "AveragePool").ToList();
        NodeProto? whole = null;
        if (averages.Count > 0)
        {
            // Whether a window covers its map depends on the map's size: ask ONNX Runtime at the input's size.
            var dims = input.Type.TensorType.Shape.Dim.Select(d => d.DimValue > 0 ? d.DimValue : 224L).ToArray();
            dims[0] = 1;
            var shapes = ShapeProbe.Run(model, new Dictionary<string, long[]> { [input.Name] = dims });
            whole = averages.LastOrDefault(n => CoversMap(n, shapes));
        }

        return new[] { global, reduce, whole }.Where(n => n is not null).OrderBy(n => graph.Node.IndexOf(n!)).LastOrDefault();
    }

    private static bool CoversMap(NodeProto pool, Dictionary<string, long[]> shapes)
    {
        if (!shapes.TryGetValue(pool.Input[0], out var map) || map.Length != 4)
        {
            return false;
        }

        var kernel = OnnxAttributes.GetIntsOrNull(pool, "kernel_shape");
        var pads = OnnxAttributes.GetIntsOrNull(pool, "pads") ?? new long[4];
        return kernel is { Length: 2 } && kernel[0] == map[2] && kernel[1] == map[3] && pads.All(p => p == 0)
            && OnnxAttributes.GetString(pool, "auto_pad", "NOTSET") is "NOTSET" or "VALID" or "";
    }

    // ReduceMean over axes {2, 3} (or {-2, -1}) of a 4-D map: axes as an attribute (before opset 18) or a constant input.
    private static bool IsSpatial(GraphProto graph, NodeProto node)
    {
        var axes = OnnxAttributes.GetIntsOrNull(node, "axes");
        if (axes is null && node.Input.Count > 1)
        {
            var constant = graph.Initializer.FirstOrDefault(i => i.Name == node.Input[1]);
            axes = constant is null ? null : OnnxTensors.ToInt64s(constant);
        }

        return axes is { Length: 2 } && axes.Select(a => a < 0 ? a + 4 : a).Order().SequenceEqual(new long[] { 2, 3 });
    }
}
