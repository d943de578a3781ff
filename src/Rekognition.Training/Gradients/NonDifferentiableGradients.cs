using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Gradients;

/// <summary>
/// Ops whose outputs are piecewise constant or not real-valued (comparisons, logic, sign, rounding, argmax,
/// shapes): they may read tensors that need gradients (a loss's mask built from the model output), but no
/// gradient flows back through them.
/// </summary>
internal sealed class NonDifferentiableGradient : IOpGradient
{
    /// <summary>The one instance (the rule has no state).</summary>
    public static readonly NonDifferentiableGradient Instance = new();

    public bool Propagates(NodeProto node) => false;

    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        // Never reached: Propagates is false, so no output of such a node has a gradient.
    }
}

/// <summary>
/// Cast: a float-to-float cast passes the gradient through; a cast to any other type (an integer index,
/// a bool mask) ends the dependency like a comparison.
/// </summary>
internal sealed class CastGradient : IOpGradient
{
    public bool Propagates(NodeProto node) => OnnxAttributes.GetInt(node, "to", 0) == OnnxTensors.Float;

    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context) =>
        inputGradients[0] = outputGradients[0];
}
