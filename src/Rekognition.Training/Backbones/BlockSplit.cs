using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Backbones;

/// <summary>
/// Splits a feature network before its last N blocks, for fine-tuning them: the frozen front (image to the
/// activation at the cut, extracted once) and the trainable back (that activation to the pooled features).
/// The network can only be cut at a tensor every later node reaches through it alone (between residual blocks,
/// between plain layers), so a block is the stretch of nodes between two such tensors that holds a convolution:
/// a residual block is one block, and a plain conv layer with its normalisation and activation is one too. The
/// first block (the stem, with nothing before it to cache) is not counted.
/// </summary>
internal static class BlockSplit
{
    /// <summary>The back's input name (the activation at the cut).</summary>
    public const string BackInput = "cut_activation";

    private static readonly HashSet<string> Convolutions = new(StringComparer.Ordinal) { "Conv", "QLinearConv", "ConvInteger" };

    // Float ops the back may hold: those with a gradient rule in Gradients/ (and shape-only ops).
    private static readonly HashSet<string> Trainable = new(StringComparer.Ordinal)
    {
        "Conv", "BatchNormalization", "Relu", "Clip", "Add", "Mul", "Sub", "Sigmoid", "HardSigmoid", "HardSwish", "LeakyRelu", "Tanh",
        "GlobalAveragePool", "AveragePool", "MaxPool", "Flatten", "Reshape", "Gemm", "MatMul", "Identity", "Dropout", "Concat",
        "Transpose", "Squeeze", "Unsqueeze", "ReduceMean", "Slice",
    };

    /// <summary>How many blocks the network has (cut points with a convolution after them).</summary>
    public static int CountBlocks(ModelProto featureNetwork) => Blocks(featureNetwork.Graph).Count;

    /// <summary>
    /// Splits <paramref name="featureNetwork"/> (one image input, one output) before its last <paramref name="blocks"/> blocks.
    /// Front: image to <see cref="BackInput"/>'s tensor (named Cut in the result); back: <see cref="BackInput"/> to the
    /// same output, opset 13 or later, with its trainable parameters (conv and linear weights and biases, batch-norm scales and shifts).
    /// </summary>
    /// <remarks>An int8 back (QLinearConv, QLinearAdd, QLinearGlobalAveragePool) is rewritten in float ops (<see cref="QLinearToFloat"/>) and the front ends with the activation dequantized.</remarks>
    /// <exception cref="NotSupportedException">The back holds an op the training graphs cannot run.</exception>
    public static (ModelProto Front, string Cut, ModelProto Back, IReadOnlyList<string> Trainable) Split(ModelProto featureNetwork, int blocks)
    {
        ArgumentNullException.ThrowIfNull(featureNetwork);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blocks);
        var graph = featureNetwork.Graph;
        var cuts = Blocks(graph);
        if (blocks > cuts.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(blocks), blocks, $"The network has {cuts.Count} blocks.");
        }

        var (position, tensor) = cuts[^blocks];
        var back = graph.Node.Skip(position).ToList();
        var quantized = back.Any(QLinearToFloat.Handles);
        var output = graph.Output[0].Name;
        var front = featureNetwork.Clone();
        var cut = tensor;
        if (quantized)
        {
            // An int8 back: the front hands over the dequantized activation, and the back is rewritten in float ops.
            var (scale, zeroPoint) = QLinearToFloat.QuantizationOf(back, tensor)
                ?? throw new NotSupportedException($"The activation {tensor} at the cut is read by no quantized op whose scale could dequantize it.");
            cut = tensor + "_dequantized";
            front.Graph.Node.Add(new NodeProto { OpType = "DequantizeLinear", Name = "cut/dequantize", Input = { tensor, scale, zeroPoint }, Output = { cut } });
        }

        front.Graph.Output.Clear();
        front.Graph.Output.Add(OnnxTensors.ValueInfo(cut, OnnxTensors.Float));
        GraphPruning.KeepOnlyWhatFeeds(front.Graph, new[] { cut });

        var backModel = featureNetwork.Clone();
        var g = backModel.Graph;
        g.Node.Clear();
        foreach (var node in back)
        {
            var copy = node.Clone();
            for (var i = 0; i < copy.Input.Count; i++)
            {
                if (copy.Input[i] == tensor)
                {
                    copy.Input[i] = BackInput;
                }
            }

            g.Node.Add(copy);
        }

        g.Input.Clear();
        g.Input.Add(OnnxTensors.ValueInfo(BackInput, OnnxTensors.Float));
        if (quantized)
        {
            QLinearToFloat.Apply(g);
        }

        GraphPruning.KeepOnlyWhatFeeds(g, new[] { output });
        var unsupported = g.Node.FirstOrDefault(n => !Trainable.Contains(n.OpType) || !string.IsNullOrEmpty(n.Domain));
        if (unsupported is not null)
        {
            throw new NotSupportedException(
                $"Fine-tuning the last {blocks} blocks needs float ops the training graph can differentiate; the back holds {unsupported.OpType} ({unsupported.Name}).");
        }

        foreach (var opset in backModel.OpsetImport.Where(o => string.IsNullOrEmpty(o.Domain) && o.Version < TrainingGraphBuilder.Opset))
        {
            opset.Version = TrainingGraphBuilder.Opset;
        }

        var floats = g.Initializer.Where(i => i.DataType == OnnxTensors.Float).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var trainable = new List<string>();
        foreach (var node in g.Node)
        {
            var slots = node.OpType switch
            {
                "Conv" or "Gemm" or "BatchNormalization" => new[] { 1, 2 },
                "MatMul" => new[] { 1 },
                _ => Array.Empty<int>(),
            };
            trainable.AddRange(slots.Where(s => s < node.Input.Count && floats.Contains(node.Input[s]) && !trainable.Contains(node.Input[s])).Select(s => node.Input[s]));
        }

        return (front, cut, backModel, trainable);
    }

    /// <summary>The cut points (node position, tensor) that have a convolution after them before the next cut point, in order.</summary>
    private static List<(int Position, string Tensor)> Blocks(GraphProto graph)
    {
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var lastUse = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Node.Count; i++)
        {
            foreach (var input in graph.Node[i].Input.Where(n => n.Length > 0 && !initializers.Contains(n)))
            {
                lastUse[input] = i;
            }
        }

        foreach (var o in graph.Output)
        {
            lastUse[o.Name] = int.MaxValue;
        }

        // Live tensors between node k-1 and node k: produced before k (or graph inputs) and used at k or later.
        var live = graph.Input.Where(i => !initializers.Contains(i.Name) && lastUse.ContainsKey(i.Name)).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var cuts = new List<(int Position, string Tensor)>();
        for (var k = 0; k < graph.Node.Count; k++)
        {
            live.RemoveWhere(t => lastUse[t] < k);
            if (live.Count == 1 && k > 0)
            {
                cuts.Add((k, live.First()));
            }

            foreach (var o in graph.Node[k].Output.Where(o => o.Length > 0 && lastUse.ContainsKey(o)))
            {
                live.Add(o);
            }
        }

        // Keep the last cut point before each convolution: a block then runs from it to the next kept one.
        var kept = new List<(int, string)>();
        for (var c = 0; c < cuts.Count; c++)
        {
            var end = c + 1 < cuts.Count ? cuts[c + 1].Position : graph.Node.Count;
            if (graph.Node.Skip(cuts[c].Position).Take(end - cuts[c].Position).Any(n => Convolutions.Contains(n.OpType)))
            {
                kept.Add(cuts[c]);
            }
        }

        return kept;
    }
}
