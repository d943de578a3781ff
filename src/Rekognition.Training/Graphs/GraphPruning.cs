using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Graphs;

/// <summary>Removes what a cut graph no longer needs.</summary>
internal static class GraphPruning
{
    /// <summary>Keeps only the nodes, initializers and value-infos that <paramref name="outputs"/> depend on.</summary>
    public static void KeepOnlyWhatFeeds(GraphProto graph, IEnumerable<string> outputs)
    {
        var needed = new HashSet<string>(outputs, StringComparer.Ordinal);
        var keep = new List<NodeProto>();
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (node.Output.Any(needed.Contains))
            {
                keep.Add(node);
                needed.UnionWith(node.Input);
            }
        }

        keep.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(keep);
        foreach (var t in graph.Initializer.Where(t => !needed.Contains(t.Name)).ToList())
        {
            graph.Initializer.Remove(t);
        }

        foreach (var v in graph.ValueInfo.Where(v => !needed.Contains(v.Name)).ToList())
        {
            graph.ValueInfo.Remove(v);
        }
    }
}
