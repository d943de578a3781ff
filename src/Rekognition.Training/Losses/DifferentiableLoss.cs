using Rekognition.Onnx.Ir;
using Rekognition.Training.Gradients;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Losses;

/// <summary>
/// A loss that emits only its forward computation; its gradient with respect to the model output comes from
/// differentiating those nodes with the same op rules as the model (seeded with 1 at the scalar loss).
/// Composite losses (detection: box decoding, IoU, focal terms, masks, normalizers) are written once this way
/// instead of with a hand-derived gradient.
/// </summary>
internal abstract class DifferentiableLoss : TrainingLoss
{
    /// <summary>
    /// Emits the loss's forward nodes, which read <paramref name="output"/> (of shape <paramref name="outputShape"/>),
    /// constants, and the loss's own inputs (targets, masks, weights, normalizers); adds each of those inputs to
    /// <paramref name="inputs"/> with its element type (float or int64) and fixed shape; returns the scalar (rank 0) loss.
    /// </summary>
    internal abstract string EmitForward(GraphEmitter emit, string output, long[] outputShape, List<ValueInfoProto> inputs);

    internal sealed override LossNodes Emit(GraphEmitter emit, string output, long[] outputShape)
    {
        var graph = emit.Graph;
        var first = graph.Node.Count;
        var inputs = new List<ValueInfoProto>();
        var loss = EmitForward(emit, output, outputShape, inputs);

        // Take the forward nodes back out: they are re-added through their rules' Forward (which may save
        // tensors for the backward, as MaxPool does), once their shapes are known.
        var nodes = graph.Node.Skip(first).ToList();
        while (graph.Node.Count > first)
        {
            graph.Node.RemoveAt(graph.Node.Count - 1);
        }

        var shapes = ProbeShapes(graph, nodes, output, outputShape, inputs);
        if (!shapes.TryGetValue(loss, out var lossShape) || lossShape.Length != 0)
        {
            throw new InvalidOperationException($"The loss {GetType().Name} must produce a scalar (rank 0) tensor; {loss} is not one.");
        }

        var constants = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var node in nodes.Where(n => n.OpType == "Constant"))
        {
            if (OnnxAttributes.Find(node, "value") is { } value)
            {
                constants[node.Output[0]] = value.T;
            }
        }

        var needsGradient = new HashSet<string>(StringComparer.Ordinal) { output };
        ReverseSweep.Propagate(nodes, needsGradient);
        if (!needsGradient.Contains(loss))
        {
            throw new InvalidOperationException($"The loss {GetType().Name} does not depend differentiably on the model output {output}.");
        }

        var context = new GradientContext(emit, shapes, needsGradient, constants);
        foreach (var node in nodes)
        {
            if (OpGradients.Find(node.OpType) is { } rule)
            {
                rule.Forward(node, context);
            }
            else if (node.Input.Any(context.NeedsGradient))
            {
                throw new NotSupportedException($"No gradient rule for the op {node.OpType} in the loss {GetType().Name}.");
            }
            else
            {
                graph.Node.Add(node);
            }
        }

        if (context.ExtraOutputs.Count > 0 || context.BatchNorms.Count > 0 || context.DropoutMasks.Count > 0)
        {
            throw new NotSupportedException($"The loss {GetType().Name} uses batch norm or dropout, which a loss cannot.");
        }

        var gradients = ReverseSweep.Run(nodes, context, new Dictionary<string, string>(StringComparer.Ordinal) { [loss] = emit.Scalar(1f) });
        return new LossNodes(loss, gradients[output], inputs);
    }

    /// <summary>
    /// The static shapes of the loss's tensors: its nodes run once in ONNX Runtime on zeros, alone, with the
    /// model output and the loss inputs as the graph's inputs.
    /// </summary>
    private Dictionary<string, long[]> ProbeShapes(GraphProto graph, List<NodeProto> nodes, string output, long[] outputShape, List<ValueInfoProto> inputs)
    {
        var probe = new GraphProto { Name = "loss_probe" };
        var inputShapes = new Dictionary<string, long[]>(StringComparer.Ordinal) { [output] = outputShape };
        probe.Input.Add(OnnxTensors.ValueInfo(output, OnnxTensors.Float, outputShape));
        foreach (var input in inputs)
        {
            probe.Input.Add(input.Clone());
            inputShapes[input.Name] = input.Type.TensorType.Shape.Dim.Select(d => d.DimValue).ToArray();
        }

        var available = new HashSet<string>(inputShapes.Keys, StringComparer.Ordinal);
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var name in node.Input.Where(n => n.Length > 0 && !available.Contains(n)))
            {
                if (!initializers.TryGetValue(name, out var init))
                {
                    throw new InvalidOperationException(
                        $"The loss {GetType().Name} reads {name}, which is neither the model output, a declared loss input, a constant nor one of its own tensors.");
                }

                probe.Initializer.Add(init.Clone());
                available.Add(name);
            }

            available.UnionWith(node.Output.Where(o => o.Length > 0));
            probe.Node.Add(node.Clone());
        }

        var model = new ModelProto { IrVersion = 8, Graph = probe };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = TrainingGraphBuilder.Opset });
        return ShapeProbe.Run(model, inputShapes);
    }
}
