using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Gradients;

/// <summary>
/// Dropout: in training mode ONNX Runtime's Dropout draws a fresh mask each run and outputs it; the
/// backward scales the gradient by mask / (1 − ratio). Outside training mode it is the identity.
/// </summary>
internal sealed class DropoutGradient : IOpGradient
{
    public void Forward(NodeProto node, GradientContext context)
    {
        var e = context.Emit;
        var ratio = Ratio(node, context);
        if (!context.TrainingMode || ratio == 0f)
        {
            e.Add("Identity", new[] { node.Input[0] }, new[] { node.Output[0] });
            return;
        }

        e.Add("Dropout", new[] { node.Input[0], e.Scalar(ratio), e.True() }, new[] { node.Output[0], Mask(node) });
    }

    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var ratio = Ratio(node, context);
        if (!context.TrainingMode || ratio == 0f)
        {
            inputGradients[0] = outputGradients[0];
            return;
        }

        var kept = e.Mul(e.FloatMask(Mask(node)), e.Scalar(1f / (1f - ratio)));
        inputGradients[0] = e.Mul(outputGradients[0]!, kept);
    }

    private static string Mask(NodeProto node) => node.Output.Count > 1 && node.Output[1].Length > 0 ? node.Output[1] : node.Output[0] + "__mask";

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
