using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Backbones;

/// <summary>
/// Freezes the statistics of a pretrained back's batch norms before fine-tuning: each BatchNormalization becomes
/// <c>x · a + b</c> per channel with <c>a = scale / √(var + ε)</c> and <c>b = B − mean · a</c>, and a and b train in place
/// of scale and B. Training in batch-statistics mode on a few small batches would fit the weights to statistics the
/// exported graph never uses (its running averages, which barely move from ImageNet's at the exports' momentum): on
/// uniform photos, such as solid colours, that mismatch costs most of the accuracy.
/// </summary>
internal static class FrozenBatchNorm
{
    /// <summary>Rewrites <paramref name="model"/>'s batch norms in place and returns <paramref name="trainable"/> with their parameters renamed.</summary>
    public static List<string> Apply(ModelProto model, IReadOnlyList<string> trainable)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var renamed = trainable.ToList();
        for (var n = 0; n < graph.Node.Count; n++)
        {
            var node = graph.Node[n];
            if (node.OpType != "BatchNormalization" || node.Input.Count < 5 || !node.Input.Skip(1).All(initializers.ContainsKey))
            {
                continue;
            }

            var scale = OnnxTensors.ToFloats(initializers[node.Input[1]]);
            var shift = OnnxTensors.ToFloats(initializers[node.Input[2]]);
            var mean = OnnxTensors.ToFloats(initializers[node.Input[3]]);
            var variance = OnnxTensors.ToFloats(initializers[node.Input[4]]);
            var epsilon = OnnxAttributes.GetFloat(node, "epsilon", 1e-5f);
            var a = new float[scale.Length];
            var b = new float[scale.Length];
            for (var c = 0; c < a.Length; c++)
            {
                a[c] = scale[c] / MathF.Sqrt(variance[c] + epsilon);
                b[c] = shift[c] - (mean[c] * a[c]);
            }

            var prefix = (node.Name.Length > 0 ? node.Name : node.Output[0]) + "/frozen_";
            var dims = new long[] { a.Length, 1, 1 };
            graph.Initializer.Add(OnnxTensors.FromFloats(prefix + "scale", a, dims));
            graph.Initializer.Add(OnnxTensors.FromFloats(prefix + "shift", b, dims));
            var scaled = prefix + "scaled";
            var mul = new NodeProto { OpType = "Mul", Name = prefix + "mul", Input = { node.Input[0], prefix + "scale" }, Output = { scaled } };
            var add = new NodeProto { OpType = "Add", Name = prefix + "add", Input = { scaled, prefix + "shift" }, Output = { node.Output[0] } };
            graph.Node[n] = mul;
            graph.Node.Insert(n + 1, add);
            renamed = renamed.Select(t => t == node.Input[1] ? prefix + "scale" : t == node.Input[2] ? prefix + "shift" : t).ToList();
        }

        GraphPruning.KeepOnlyWhatFeeds(graph, graph.Output.Select(o => o.Name));
        return renamed;
    }
}
