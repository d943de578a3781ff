using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;
using Rekognition.Training.Kernels;

namespace Rekognition.Training.Gradients;

/// <summary>Relu: the gradient passes where the output is positive (masking on the output keeps Conv+Relu fusable).</summary>
internal sealed class ReluGradient : IOpGradient
{
    public void Forward(NodeProto node, GradientContext context)
    {
        if (BatchNormGradient.TakesReluMask(node, context))
        {
            // The batch norm before this ReLU applies it in its forward kernel, writing this node's output directly.
            BatchNormGradient.FuseReluForward(node, context);
            return;
        }

        if (BatchNormGradient.EndsResidualBlock(node, context, out var add, out var side))
        {
            // relu(batchnorm(x) + r) in the batch norm's forward kernel; the backward below still masks on this node's output.
            BatchNormGradient.FuseResidualForward(node, add, side, context);
            return;
        }

        context.Emit.Graph.Node.Add(node.Clone());
    }

    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        if (BatchNormGradient.TakesReluMask(node, context))
        {
            // The batch norm before this ReLU masks the gradient in its fused backward kernel.
            context.PendingReluMasks[node.Input[0]] = node.Output[0];
            inputGradients[0] = outputGradients[0];
            return;
        }

        var e = context.Emit;
        var dy = outputGradients[0]!;
        var shape = context.Shape(node.Output[0]);
        if (context.CustomKernels && ReluGradientKernel.Supports(shape))
        {
            // One pass (and the Sum of the output's two gradients in it, when it has two readers) instead of Greater, Cast and Mul.
            var summed = e.TakeSumOfTwo(dy, out var first, out var second);
            var kernel = e.Add(summed ? ReluGradientKernel.SumName : ReluGradientKernel.Name,
                summed ? new[] { first, second, node.Output[0] } : new[] { dy, node.Output[0] }, new[] { e.Fresh("relu_grad") });
            kernel.Domain = TrainingKernels.Domain;
            inputGradients[0] = kernel.Output[0];
            return;
        }

        inputGradients[0] = e.Mul(dy, Positive(e, node.Output[0]));
    }

    /// <summary>1 where <paramref name="output"/> is positive, else 0.</summary>
    public static string Positive(GraphEmitter e, string output) => e.FloatMask(e.Op("Greater", new[] { output, e.Scalar(0f) }));
}

/// <summary>LeakyRelu: slope 1 for positive inputs, alpha elsewhere.</summary>
internal sealed class LeakyReluGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var alpha = OnnxAttributes.GetFloat(node, "alpha", 0.01f);
        var positive = e.FloatMask(e.Op("Greater", new[] { node.Input[0], e.Scalar(0f) }));
        var slope = e.Add(e.Mul(positive, e.Scalar(1f - alpha)), e.Scalar(alpha));
        inputGradients[0] = e.Mul(outputGradients[0]!, slope);
    }
}

/// <summary>Sigmoid: y(1−y).</summary>
internal sealed class SigmoidGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var y = node.Output[0];
        inputGradients[0] = e.Mul(outputGradients[0]!, e.Mul(y, e.Sub(e.Scalar(1f), y)));
    }
}

/// <summary>Tanh: 1−y².</summary>
internal sealed class TanhGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var y = node.Output[0];
        inputGradients[0] = e.Mul(outputGradients[0]!, e.Sub(e.Scalar(1f), e.Mul(y, y)));
    }
}

/// <summary>Clip (and so Relu6): the gradient passes strictly between the bounds.</summary>
internal sealed class ClipGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var x = node.Input[0];
        string? inside = null;
        if (node.Input.Count > 1 && node.Input[1].Length > 0)
        {
            inside = e.Op("Greater", new[] { x, node.Input[1] });
        }

        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            var below = e.Op("Less", new[] { x, node.Input[2] });
            inside = inside is null ? below : e.Op("And", new[] { inside, below });
        }

        inputGradients[0] = inside is null ? outputGradients[0] : e.Mul(outputGradients[0]!, e.FloatMask(inside));
    }
}

/// <summary>HardSigmoid max(0, min(1, αx+β)): slope α where the output is strictly inside (0, 1).</summary>
internal sealed class HardSigmoidGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var alpha = OnnxAttributes.GetFloat(node, "alpha", 0.2f);
        var y = node.Output[0];
        var inside = e.Op("And", new[] { e.Op("Greater", new[] { y, e.Scalar(0f) }), e.Op("Less", new[] { y, e.Scalar(1f) }) });
        inputGradients[0] = e.Mul(outputGradients[0]!, e.Mul(e.FloatMask(inside), e.Scalar(alpha)));
    }
}

/// <summary>HardSwish x·hardsigmoid(x) (α=1/6, β=½): 0 below −3, 1 above 3, x/3+½ between.</summary>
internal sealed class HardSwishGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var x = node.Input[0];
        var inside = e.FloatMask(e.Op("And", new[] { e.Op("Greater", new[] { x, e.Scalar(-3f) }), e.Op("Less", new[] { x, e.Scalar(3f) }) }));
        var above = e.FloatMask(e.Op("GreaterOrEqual", new[] { x, e.Scalar(3f) }));
        var slope = e.Add(e.Mul(inside, e.Add(e.Mul(x, e.Scalar(1f / 3f)), e.Scalar(0.5f))), above);
        inputGradients[0] = e.Mul(outputGradients[0]!, slope);
    }
}

/// <summary>Softmax along an axis: y·(dy − Σ dy·y).</summary>
internal sealed class SoftmaxGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var y = node.Output[0];
        var axis = OnnxAttributes.GetInt(node, "axis", -1);
        var dy = outputGradients[0]!;
        var dot = e.ReduceSum(e.Mul(dy, y), new[] { axis }, keepDims: true);
        inputGradients[0] = e.Mul(y, e.Sub(dy, dot));
    }
}

/// <summary>LogSoftmax along an axis: dy − exp(y)·Σ dy.</summary>
internal sealed class LogSoftmaxGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var axis = OnnxAttributes.GetInt(node, "axis", -1);
        var dy = outputGradients[0]!;
        var sum = e.ReduceSum(dy, new[] { axis }, keepDims: true);
        inputGradients[0] = e.Sub(dy, e.Mul(e.Op("Exp", new[] { node.Output[0] }), sum));
    }
}
