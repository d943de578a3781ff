using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Gradients;

/// <summary>Sum of any number of inputs with broadcasting: each input gets the gradient summed back to its shape.</summary>
internal sealed class SumGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var outShape = context.Shape(node.Output[0]);
        for (var i = 0; i < node.Input.Count; i++)
        {
            if (context.NeedsGradient(node.Input[i]))
            {
                inputGradients[i] = context.Unbroadcast(outputGradients[0]!, outShape, context.Shape(node.Input[i]));
            }
        }
    }
}

/// <summary>Expand: the gradient summed back over the broadcast axes.</summary>
internal sealed class ExpandGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context) =>
        inputGradients[0] = context.Unbroadcast(outputGradients[0]!, context.Shape(node.Output[0]), context.Shape(node.Input[0]));
}
