using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Backbones;

/// <summary>
/// Brings an old-opset backbone (e.g. ML.NET's opset-8 ResNet18) up to the opset the training graphs and heads use,
/// so the joined graphs carry one valid opset: BatchNormalization loses its <c>spatial</c> attribute (gone since
/// opset 9) and Split's <c>split</c> attribute becomes its second input (opset 13). Other ops of such backbones
/// (Conv, Relu, Add, Sub, Concat, pooling) mean the same at the newer opset.
/// </summary>
internal static class OpsetUpgrade
{
    /// <summary>
    /// Opsets from this one on are kept as they are (the heads and the training graphs run on them, as on the int8
    /// MobileNetV2's 12 and YOLOX's 11); older ones are upgraded.
    /// </summary>
    private const long OldestKept = 11;

    /// <summary>The oldest IR version that may declare <see cref="TrainingGraphBuilder.Opset"/>.</summary>
    private const long IrVersion = 8;

    // Ops whose meaning (for the attributes an old export sets) changed between their old opset and ours, and how far we rewrite them.
    private static readonly HashSet<string> Changed = new(StringComparer.Ordinal)
    {
        "Upsample", "Reshape", "Pad", "Slice", "Resize", "ReduceSum", "Squeeze", "Unsqueeze", "Dropout", "Clip", "TopK", "Gather", "Scan",
    };

    /// <summary>Upgrades <paramref name="model"/> in place to <see cref="TrainingGraphBuilder.Opset"/> when its default-domain opset is older than 11.</summary>
    /// <exception cref="NotSupportedException">The graph holds an op whose older form is not rewritten here.</exception>
    public static void Apply(ModelProto model, string path)
    {
        var opset = model.OpsetImport.FirstOrDefault(o => string.IsNullOrEmpty(o.Domain));
        if (opset is null || opset.Version >= OldestKept)
        {
            return;
        }

        var graph = model.Graph;
        var from = opset.Version;
        var emit = new GraphEmitter(graph);
        foreach (var node in graph.Node.Where(n => string.IsNullOrEmpty(n.Domain)).ToList())
        {
            switch (node.OpType)
            {
                case "BatchNormalization":
                    if (OnnxAttributes.GetInt(node, "spatial", 1) != 1)
                    {
                        throw new NotSupportedException($"{path}: BatchNormalization {node.Name} normalises per element (spatial=0), which opset {TrainingGraphBuilder.Opset} cannot express.");
                    }

                    Remove(node, "spatial", "consumed_inputs", "is_test");
                    break;
                case "Split" when OnnxAttributes.GetIntsOrNull(node, "split") is { } sizes:
                    Remove(node, "split");
                    node.Input.Add(emit.Int64s(sizes));
                    break;
                case var op when Changed.Contains(op):
                    throw new NotSupportedException($"{path}: {op} ({node.Name}) at opset {from} is not upgraded to opset {TrainingGraphBuilder.Opset}; export the backbone at opset 13 or later.");
            }
        }

        opset.Version = TrainingGraphBuilder.Opset;
        model.IrVersion = Math.Max(model.IrVersion, IrVersion);
    }

    private static void Remove(NodeProto node, params string[] names)
    {
        for (var i = node.Attribute.Count - 1; i >= 0; i--)
        {
            if (names.Contains(node.Attribute[i].Name, StringComparer.Ordinal))
            {
                node.Attribute.RemoveAt(i);
            }
        }
    }
}
