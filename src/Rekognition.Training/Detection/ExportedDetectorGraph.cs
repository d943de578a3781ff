using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Detection;

/// <summary>
/// Reading a detector exported from PyTorch (YOLOv5, YOLOv8) by its graph's structure: which node makes each tensor,
/// which nodes a tensor depends on, which convolutions are the head's and which stages come before it, and the Split
/// nodes rewritten as slices the engine differentiates.
/// </summary>
internal sealed class ExportedDetectorGraph
{
    private readonly GraphProto _graph;
    private readonly Dictionary<string, int> _producer = new(StringComparer.Ordinal);

    /// <summary>Indexes <paramref name="graph"/>'s nodes (in graph order, as they are now).</summary>
    public ExportedDetectorGraph(GraphProto graph)
    {
        _graph = graph;
        for (var i = 0; i < graph.Node.Count; i++)
        {
            foreach (var o in graph.Node[i].Output)
            {
                _producer[o] = i;
            }
        }
    }

    /// <summary>The node that makes <paramref name="tensor"/> (null: an input or initializer).</summary>
    public NodeProto? Producer(string tensor) => _producer.TryGetValue(tensor, out var i) ? _graph.Node[i] : null;

    /// <summary>The indexes of the nodes <paramref name="tensor"/> depends on, its producer included.</summary>
    public HashSet<int> Ancestors(string tensor)
    {
        var found = new HashSet<int>();
        var pending = new Stack<string>();
        pending.Push(tensor);
        while (pending.TryPop(out var t))
        {
            if (_producer.TryGetValue(t, out var i) && found.Add(i))
            {
                foreach (var input in _graph.Node[i].Input)
                {
                    pending.Push(input);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The convolutions that train: each level's head (every convolution between the level's feature map — the latest
    /// tensor all its <paramref name="levelPredictions"/> depend on — and those prediction convolutions, included) and the
    /// last <paramref name="trainedStages"/> stages of the convolutions before the heads. A stage is a top-level module of
    /// the PyTorch export (<c>/model.21/cv1/conv/Conv</c>: <c>model.21</c>); a convolution without a module path is a stage of its own.
    /// </summary>
    public List<NodeProto> TrainedConvolutions(IEnumerable<NodeProto[]> levelPredictions, int trainedStages)
    {
        var head = new HashSet<int>();
        var feedingHead = new HashSet<int>();
        foreach (var predictions in levelPredictions)
        {
            var branches = predictions.Select(p => Ancestors(p.Output[0])).ToList();
            var feature = predictions.Select(p => Ancestors(p.Input[0])).Aggregate((a, b) => a.Intersect(b).ToHashSet()).DefaultIfEmpty(-1).Max();
            var before = feature >= 0 ? Ancestors(_graph.Node[feature].Output[0]) : new HashSet<int>();
            var all = branches.Aggregate(new HashSet<int>(), (a, b) => a.Union(b).ToHashSet());
            feedingHead.UnionWith(all);
            head.UnionWith(all.Except(before));
        }

        // Only what feeds the heads counts: a decoding after them may hold a convolution too (YOLOv8's DFL).
        var convolutions = feedingHead.Order().Where(i => _graph.Node[i].OpType == "Conv").ToList();
        var stages = convolutions.Where(i => !head.Contains(i)).GroupBy(i => StageOf(_graph.Node[i], i)).ToList();
        return stages.TakeLast(Math.Clamp(trainedStages, 0, stages.Count)).SelectMany(s => s)
            .Concat(convolutions.Where(head.Contains)).Select(i => _graph.Node[i]).ToList();
    }

    /// <summary>The weights and biases of <paramref name="convolutions"/> that <paramref name="graph"/> still holds (after pruning).</summary>
    public static List<string> KeptParameters(GraphProto graph, IEnumerable<NodeProto> convolutions)
    {
        var kept = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        return convolutions.SelectMany(n => n.Input.Skip(1)).Where(kept.Contains).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Rewrites each Split node of <paramref name="e"/>'s graph as one Slice per output, in its place, the sizes read from
    /// <paramref name="shapes"/>: the engine differentiates Slice but not Split (YOLOv8's C2f blocks split their features).
    /// </summary>
    public static void SplitsToSlices(GraphEmitter e, Dictionary<string, long[]> shapes)
    {
        var graph = e.Graph;
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var split = graph.Node[i];
            if (split.OpType != "Split" || !string.IsNullOrEmpty(split.Domain) || !shapes.TryGetValue(split.Input[0], out var inputShape))
            {
                continue;
            }

            var axis = OnnxAttributes.GetInt(split, "axis", 0);
            axis = axis < 0 ? axis + inputShape.Length : axis;
            graph.Node.RemoveAt(i);
            var start = 0L;
            for (var k = 0; k < split.Output.Count; k++)
            {
                var end = start + shapes[split.Output[k]][axis];
                var slice = new NodeProto { OpType = "Slice", Name = e.Fresh($"{split.Name}_slice") };
                slice.Input.Add(new[] { split.Input[0], e.Int64s(start), e.Int64s(end), e.Int64s(axis) });
                slice.Output.Add(split.Output[k]);
                graph.Node.Insert(i + k, slice);
                start = end;
            }

            i += split.Output.Count - 1;
        }
    }

    private static string StageOf(NodeProto node, int index)
    {
        var parts = node.Name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 1 ? parts[0] : $"#{index}";
    }
}
