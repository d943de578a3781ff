using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Gradients;

/// <summary>Exp: dy·y (the output is the derivative).</summary>
internal sealed class ExpGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context) =>
        inputGradients[0] = context.Emit.Mul(outputGradients[0]!, node.Output[0]);
}

/// <summary>Log: dy/x.</summary>
internal sealed class LogGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context) =>
        inputGradients[0] = context.Emit.Div(outputGradients[0]!, node.Input[0]);
}

/// <summary>Abs: dy·sign(x) (0 at x = 0, as PyTorch).</summary>
internal sealed class AbsGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context) =>
        inputGradients[0] = context.Emit.Mul(outputGradients[0]!, context.Emit.Op("Sign", new[] { node.Input[0] }));
}

/// <summary>Sqrt: dy/(2y).</summary>
internal sealed class SqrtGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        inputGradients[0] = e.Div(e.Mul(outputGradients[0]!, e.Scalar(0.5f)), node.Output[0]);
    }
}

/// <summary>Reciprocal: −dy·y².</summary>
internal sealed class ReciprocalGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var y = node.Output[0];
        inputGradients[0] = e.Op("Neg", new[] { e.Mul(outputGradients[0]!, e.Mul(y, y)) });
    }
}

/// <summary>Softplus log(1 + eˣ): dy·σ(x).</summary>
internal sealed class SoftplusGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context) =>
        inputGradients[0] = context.Emit.Mul(outputGradients[0]!, context.Emit.Op("Sigmoid", new[] { node.Input[0] }));
}

/// <summary>
/// Pow xᵇ with broadcasting: dx = dy·b·xᵇ⁻¹ (computed as written, so no division by x at 0); db = dy·y·ln x
/// for a trainable exponent, which needs x &gt; 0.
/// </summary>
internal sealed class PowGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var dy = outputGradients[0]!;
        var (x, b) = (node.Input[0], node.Input[1]);
        var outShape = context.Shape(node.Output[0]);
        if (context.NeedsGradient(x))
        {
            // Pow needs both operands of one float type; the exponent may be float already or an integer constant.
            var exponent = e.Op("Cast", new[] { b }, OnnxAttributes.Int("to", OnnxTensors.Float));
            var slope = e.Mul(exponent, e.Op("Pow", new[] { x, e.Sub(exponent, e.Scalar(1f)) }));
            inputGradients[0] = context.Unbroadcast(e.Mul(dy, slope), outShape, context.Shape(x));
        }

        if (context.NeedsGradient(b))
        {
            var db = e.Mul(dy, e.Mul(node.Output[0], e.Op("Log", new[] { x })));
            inputGradients[1] = context.Unbroadcast(db, outShape, context.Shape(b));
        }
    }
}
