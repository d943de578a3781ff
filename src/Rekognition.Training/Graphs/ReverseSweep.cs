using Rekognition.Onnx.Ir;
using Rekognition.Training.Gradients;

namespace Rekognition.Training.Graphs;

/// <summary>
/// The reverse-mode pass shared by the model and by losses differentiated through their own nodes:
/// which tensors need gradients, then each node's backward in reverse order with gradients summed
/// where a tensor feeds several nodes.
/// </summary>
internal static class ReverseSweep
{
    /// <summary>
    /// Adds to <paramref name="needsGradient"/> every node output that depends on a tensor already in it.
    /// Ops whose rule does not propagate (comparisons, casts to integers) stop the dependency.
    /// </summary>
    public static void Propagate(IEnumerable<NodeProto> nodes, HashSet<string> needsGradient)
    {
        foreach (var node in nodes)
        {
            if (node.Input.Any(needsGradient.Contains) && (OpGradients.Find(node.OpType)?.Propagates(node) ?? true))
            {
                needsGradient.UnionWith(node.Output.Where(o => o.Length > 0));
            }
        }
    }

    /// <summary>
    /// Runs the backward rules of <paramref name="nodes"/> (in forward order) from the last to the first,
    /// starting from the gradients in <paramref name="seeds"/>; returns each reached tensor's summed gradient.
    /// </summary>
    public static Dictionary<string, string> Run(IReadOnlyList<NodeProto> nodes, GradientContext context, IReadOnlyDictionary<string, string> seeds)
    {
        var pending = seeds.ToDictionary(s => s.Key, s => new List<string> { s.Value }, StringComparer.Ordinal);
        var summed = new Dictionary<string, string>(StringComparer.Ordinal);

        string? Total(string tensor)
        {
            if (summed.TryGetValue(tensor, out var done))
            {
                return done;
            }

            if (!pending.TryGetValue(tensor, out var parts))
            {
                return null;
            }

            var total = parts.Count == 1 ? parts[0] : context.Emit.Op("Sum", parts.ToArray());
            summed[tensor] = total;
            return total;
        }

        for (var i = nodes.Count - 1; i >= 0; i--)
        {
            var node = nodes[i];
            if (!node.Input.Any(context.NeedsGradient))
            {
                continue;
            }

            var outputGradients = node.Output.Select(o => o.Length > 0 ? Total(o) : null).ToArray();
            if (outputGradients.All(g => g is null))
            {
                continue;
            }

            var rule = OpGradients.Find(node.OpType) ?? throw new NotSupportedException($"No gradient rule for the op {node.OpType} (node {node.Name}).");
            var inputGradients = new string?[node.Input.Count];
            rule.Backward(node, outputGradients, inputGradients, context);
            for (var k = 0; k < node.Input.Count; k++)
            {
                if (inputGradients[k] is { } g && context.NeedsGradient(node.Input[k]))
                {
                    if (!pending.TryGetValue(node.Input[k], out var list))
                    {
                        pending[node.Input[k]] = list = new List<string>();
                    }

                    list.Add(g);
                }
            }
        }

        foreach (var tensor in pending.Keys.ToList())
        {
            Total(tensor);
        }

        return summed;
    }
}
