using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Gradients;

/// <summary>
/// Dropout in training mode as a multiplication by a mask input the trainer fills each step (0 for dropped
/// elements, 1/(1 − ratio) for kept ones): forward X·mask, backward dY·mask. Drawing the mask in C# is
/// cheaper than ONNX Runtime's Dropout plus the bool-to-float cast its mask would need. Outside training
/// mode dropout is the identity.
/// </summary>
internal sealed class DropoutGradient : IOpGradient
{
    /// <summary>The name of the mask input of a dropout node.</summary>
    public static string MaskOf(NodeProto node) => node.Output[0] + "__dropout_mask";

    public void Forward(NodeProto node, GradientContext context)
    {
        var e = context.Emit;
        var ratio = Ratio(node, context);
        if (!context.TrainingMode || ratio == 0f)
        {
            e.Add("Identity", new[] { node.Input[0] }, new[] { node.Output[0] });
            return;
        }

        var mask = MaskOf(node);
        e.Graph.Input.Add(OnnxTensors.ValueInfo(mask, OnnxTensors.Float, context.Shape(node.Input[0])));
        context.DropoutMasks.Add(new DropoutMask(mask, ratio));
        e.Add("Mul", new[] { node.Input[0], mask }, new[] { node.Output[0] });
    }

    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var ratio = Ratio(node, context);
        inputGradients[0] = !context.TrainingMode || ratio == 0f
            ? outputGradients[0]
            : context.Emit.Mul(outputGradients[0]!, MaskOf(node));
    }

    private static float Ratio(NodeProto node, GradientContext context)
    {
        if (node.Input.Count > 1 && node.Input[1].Length > 0)
        {
            var t = context.Constant(node.Input[1]) ?? throw new NotSupportedException("Dropout needs a constant ratio.");
            return OnnxTensors.ToFloats(t)[0];
        }

        // Opset < 12 kept the ratio as an attribute.
        return OnnxAttributes.GetFloat(node, "ratio", 0.5f);
    }
}
