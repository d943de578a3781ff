using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Graphs;

/// <summary>
/// Exact rewrites of the forward graph that make its training graph cheaper. Relu then MaxPool becomes
/// MaxPool then Relu (they commute: max(relu(x)) = relu(max(x))), so the ReLU and its backward mask run
/// on the pooled tensor, a quarter of the size for 2×2 pooling.
/// </summary>
internal static class ForwardRewrites
{
    public static ModelProto Apply(ModelProto model)
    {
        var result = model.Clone();
        var graph = result.Graph;
        var outputs = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        for (var i = 0; i + 1 < graph.Node.Count; i++)
        {
            var relu = graph.Node[i];
            if (relu.OpType != "Relu" || outputs.Contains(relu.Output[0]))
            {
                continue;
            }

            var consumers = graph.Node.Where(n => n.Input.Contains(relu.Output[0])).ToList();
            if (consumers.Count != 1 || consumers[0].OpType != "MaxPool" || consumers[0].Output.Count != 1 || graph.Node.IndexOf(consumers[0]) != i + 1)
            {
                continue;
            }

            var pool = consumers[0];
            var pooled = relu.Output[0] + "__prerelu_pooled";
            var (z, y) = (relu.Input[0], pool.Output[0]);
            pool.Input[0] = z;
            pool.Output[0] = pooled;
            relu.Input[0] = pooled;
            relu.Output[0] = y;
            // Pool first, then the ReLU.
            graph.Node[i] = pool;
            graph.Node[i + 1] = relu;
        }

        return result;
    }
}
