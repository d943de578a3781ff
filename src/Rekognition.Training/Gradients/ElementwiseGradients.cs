using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Gradients;

/// <summary>Add, Sub, Mul and Div with numpy broadcasting: each operand's gradient is summed back to its shape.</summary>
internal sealed class ElementwiseGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var dy = outputGradients[0]!;
        var a = node.Input[0];
        var b = node.Input[1];
        var outShape = context.Shape(node.Output[0]);
        string? da = null, db = null;
        var needA = context.NeedsGradient(a);
        var needB = context.NeedsGradient(b);
        switch (node.OpType)
        {
            case "Add":
                da = dy;
                db = dy;
                break;
            case "Sub":
                da = dy;
                db = needB ? e.Op("Neg", new[] { dy }) : null;
                break;
            case "Mul":
                da = needA ? e.Mul(dy, b) : null;
                db = needB ? e.Mul(dy, a) : null;
                break;
            case "Div":
                da = needA ? e.Div(dy, b) : null;
                // d(a/b)/db = −a/b² = −y/b.
                db = needB ? e.Op("Neg", new[] { e.Div(e.Mul(dy, node.Output[0]), b) }) : null;
                break;
            default:
                throw new NotSupportedException($"No elementwise gradient for {node.OpType}.");
        }

        if (needA)
        {
            inputGradients[0] = context.Unbroadcast(da!, outShape, context.Shape(a));
        }

        if (needB)
        {
            inputGradients[1] = context.Unbroadcast(db!, outShape, context.Shape(b));
        }
    }
}

/// <summary>Neg: the gradient negated.</summary>
internal sealed class NegGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context) =>
        inputGradients[0] = context.Emit.Op("Neg", new[] { outputGradients[0]! });
}
