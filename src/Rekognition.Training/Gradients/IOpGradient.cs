using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Gradients;

/// <summary>
/// The reverse-mode rule of one ONNX op: how it runs in the training graph's forward part and how the
/// gradients of its inputs follow from the gradients of its outputs, in standard ONNX ops.
/// </summary>
internal interface IOpGradient
{
    /// <summary>
    /// Emits the node's training-mode forward. Most ops run as in inference; some save tensors for their
    /// backward (MaxPool's indices) or compute differently while training (batch norm, dropout).
    /// </summary>
    void Forward(NodeProto node, GradientContext context) => context.Emit.Graph.Node.Add(node.Clone());

    /// <summary>
    /// Whether the node's outputs depend differentiably on its inputs. False for comparisons, casts to
    /// integer types and the like: their outputs never need a gradient, so nothing flows back through them.
    /// </summary>
    bool Propagates(NodeProto node) => true;

    /// <summary>
    /// Emits the gradients of the node's inputs. <paramref name="outputGradients"/> holds one name per
    /// output, null where nothing downstream depends on it; fill <paramref name="inputGradients"/> only where
    /// <see cref="GradientContext.NeedsGradient"/> holds for the input.
    /// </summary>
    void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context);
}
