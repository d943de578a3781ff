using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Export;

/// <summary>
/// Joins a feature network and a trained head into one inference graph: the head's nodes and initializers
/// (names prefixed so they cannot clash) read the feature network's output, and the head's output becomes the graph's.
/// </summary>
internal static class HeadAttacher
{
    /// <summary>The prefix of the head's node and initializer names in the joined graph.</summary>
    public const string Prefix = "head/";

    /// <summary>Returns the joined model; <paramref name="headInput"/> is the head's input name.</summary>
    public static ModelProto Attach(ModelProto features, string featuresOutput, ModelProto head, string headInput)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(head);
        var joined = features.Clone();
        var graph = joined.Graph;
        var headOutputs = new HashSet<string>(head.Graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        string Rename(string name) => name.Length == 0 ? name : name == headInput ? featuresOutput : headOutputs.Contains(name) ? name : Prefix + name;
        foreach (var init in head.Graph.Initializer)
        {
            var copy = init.Clone();
            copy.Name = Rename(init.Name);
            graph.Initializer.Add(copy);
        }

        foreach (var node in head.Graph.Node)
        {
            var copy = node.Clone();
            copy.Name = Prefix + node.Name;
            for (var i = 0; i < copy.Input.Count; i++)
            {
                copy.Input[i] = Rename(copy.Input[i]);
            }

            for (var i = 0; i < copy.Output.Count; i++)
            {
                copy.Output[i] = Rename(copy.Output[i]);
            }

            graph.Node.Add(copy);
        }

        graph.Output.Clear();
        graph.Output.AddRange(head.Graph.Output.Select(o => o.Clone()));
        return joined;
    }
}
