using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Export;

/// <summary>
/// Turns the trained network back into one inference graph: trained values written into the initializers,
/// each batch norm that directly follows a conv folded into that conv's weights and bias, dropout removed,
/// and initializers nothing reads dropped. ONNX Runtime then runs it like any model, weights pre-packed.
/// </summary>
internal static class InferenceGraphExporter
{
    /// <summary>
    /// Exports <paramref name="inference"/> with <paramref name="values"/> (trained parameters and batch-norm
    /// running statistics, by initializer name) in place of the initial values.
    /// </summary>
    public static ModelProto Export(ModelProto inference, IReadOnlyDictionary<string, float[]> values)
    {
        ArgumentNullException.ThrowIfNull(inference);
        ArgumentNullException.ThrowIfNull(values);
        var model = inference.Clone();
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var (name, data) in values)
        {
            if (initializers.TryGetValue(name, out var init))
            {
                var replaced = OnnxTensors.FromFloats(name, data, init.Dims.ToArray());
                init.RawData = replaced.RawData;
                init.FloatData.Clear();
            }
        }

        RemoveDropout(graph);
        FoldBatchNorms(graph, initializers);
        var used = new HashSet<string>(graph.Node.SelectMany(n => n.Input), StringComparer.Ordinal);
        var unused = graph.Initializer.Where(i => !used.Contains(i.Name)).ToList();
        foreach (var i in unused)
        {
            graph.Initializer.Remove(i);
        }

        return model;
    }

    private static void RemoveDropout(GraphProto graph)
    {
        var outputs = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        foreach (var dropout in graph.Node.Where(n => n.OpType == "Dropout").ToList())
        {
            var (from, to) = (dropout.Output[0], dropout.Input[0]);
            if (outputs.Contains(from))
            {
                // A graph output keeps its name through an Identity.
                dropout.OpType = "Identity";
                while (dropout.Input.Count > 1)
                {
                    dropout.Input.RemoveAt(1);
                }

                while (dropout.Output.Count > 1)
                {
                    dropout.Output.RemoveAt(1);
                }

                continue;
            }

            graph.Node.Remove(dropout);
            Rename(graph, from, to);
        }
    }

    private static void FoldBatchNorms(GraphProto graph, Dictionary<string, TensorProto> initializers)
    {
        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (Input: i, Node: n))).ToLookup(p => p.Input, p => p.Node, StringComparer.Ordinal);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (Output: o, Node: n))).ToDictionary(p => p.Output, p => p.Node, StringComparer.Ordinal);
        var graphOutputs = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        foreach (var bn in graph.Node.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            if (!producers.TryGetValue(bn.Input[0], out var conv) || conv.OpType != "Conv" || consumers[bn.Input[0]].Count() != 1 || graphOutputs.Contains(bn.Input[0])
                || !bn.Input.Skip(1).All(initializers.ContainsKey) || !initializers.ContainsKey(conv.Input[1]))
            {
                continue;
            }

            var gamma = OnnxTensors.ToFloats(initializers[bn.Input[1]]);
            var beta = OnnxTensors.ToFloats(initializers[bn.Input[2]]);
            var mean = OnnxTensors.ToFloats(initializers[bn.Input[3]]);
            var variance = OnnxTensors.ToFloats(initializers[bn.Input[4]]);
            var epsilon = OnnxAttributes.GetFloat(bn, "epsilon", 1e-5f);
            var weightInit = initializers[conv.Input[1]];
            var weights = OnnxTensors.ToFloats(weightInit);
            var outChannels = gamma.Length;
            var perChannel = weights.Length / outChannels;
            var bias = conv.Input.Count > 2 && conv.Input[2].Length > 0 ? OnnxTensors.ToFloats(initializers[conv.Input[2]]) : new float[outChannels];
            var foldedBias = new float[outChannels];
            for (var c = 0; c < outChannels; c++)
            {
                var scale = gamma[c] / MathF.Sqrt(variance[c] + epsilon);
                var slice = weights.AsSpan(c * perChannel, perChannel);
                System.Numerics.Tensors.TensorPrimitives.Multiply(slice, scale, slice);
                foldedBias[c] = ((bias[c] - mean[c]) * scale) + beta[c];
            }

            var weightName = conv.Input[1] + "_folded";
            var biasName = (conv.Input.Count > 2 && conv.Input[2].Length > 0 ? conv.Input[2] : conv.Input[1] + "_bias") + "_folded";
            graph.Initializer.Add(OnnxTensors.FromFloats(weightName, weights, weightInit.Dims.ToArray()));
            graph.Initializer.Add(OnnxTensors.FromFloats(biasName, foldedBias, new long[] { outChannels }));
            conv.Input[1] = weightName;
            if (conv.Input.Count > 2)
            {
                conv.Input[2] = biasName;
            }
            else
            {
                conv.Input.Add(biasName);
            }

            // The conv now writes the batch norm's output directly.
            conv.Output[0] = bn.Output[0];
            graph.Node.Remove(bn);
        }
    }

    private static void Rename(GraphProto graph, string from, string to)
    {
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == from)
                {
                    node.Input[i] = to;
                }
            }
        }
    }
}
