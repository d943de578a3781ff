using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Export;

/// <summary>
/// A single-label classifier trained with negative examples has one more output than labels: the background class
/// ("none of these"). The package keeps the softmax over every class but returns only the labels' columns, so a
/// photo of neither label scores low on all of them and the background is never returned.
/// </summary>
internal static class BackgroundClass
{
    /// <summary>
    /// Rewrites <paramref name="model"/> (its only output: logits [N, labels + 1], the background last) in place so the
    /// output of the same name holds the softmax probabilities of the first <paramref name="labels"/> classes.
    /// </summary>
    public static ModelProto Drop(ModelProto model, int labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var output = graph.Output.Single();
        var name = output.Name;
        var logits = name + "_with_background";
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Output.Count; i++)
            {
                if (node.Output[i] == name)
                {
                    node.Output[i] = logits;
                }
            }
        }

        var e = new GraphEmitter(graph);
        var probabilities = e.Op("Softmax", new[] { logits }, OnnxAttributes.Int("axis", 1));
        e.Add("Slice", new[] { probabilities, e.Int64s(0), e.Int64s(labels), e.Int64s(1) }, new[] { name });
        // An output declared without a shape (a joined transfer model) keeps none.
        if (output.Type?.TensorType?.Shape is { Dim.Count: 2 } shape)
        {
            shape.Dim[1] = new TensorShapeProto.Types.Dimension { DimValue = labels };
        }

        return model;
    }
}
