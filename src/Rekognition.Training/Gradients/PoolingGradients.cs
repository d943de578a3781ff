using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Gradients;

/// <summary>GlobalAveragePool: the gradient spread evenly over each channel's positions.</summary>
internal sealed class GlobalAveragePoolGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var xs = context.Shape(node.Input[0]);
        var positions = GradientContext.Count(xs[2..]);
        var scaled = e.Mul(outputGradients[0]!, e.Scalar(1f / positions));
        inputGradients[0] = e.Op("Expand", new[] { scaled, e.Int64s(xs) });
    }
}

/// <summary>
/// MaxPool: the forward also outputs the argmax indices (flat over the whole input), and the backward
/// puts each output's gradient on its argmax: MaxUnpool when windows do not overlap, otherwise a
/// scatter-add so overlapping windows sum correctly.
/// </summary>
internal sealed class MaxPoolGradient : IOpGradient
{
    public static string IndicesOf(NodeProto node) => node.Output.Count > 1 && node.Output[1].Length > 0 ? node.Output[1] : node.Output[0] + "__argmax";

    public void Forward(NodeProto node, GradientContext context)
    {
        var copy = node.Clone();
        if (copy.Output.Count < 2)
        {
            copy.Output.Add(IndicesOf(node));
        }
        else if (copy.Output[1].Length == 0)
        {
            copy.Output[1] = IndicesOf(node);
        }

        context.Emit.Graph.Node.Add(copy);
    }

    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        if (OnnxAttributes.GetInt(node, "storage_order", 0) != 0)
        {
            throw new NotSupportedException("MaxPool gradients need storage_order 0.");
        }

        var e = context.Emit;
        var xs = context.Shape(node.Input[0]);
        var spatial = xs.Length - 2;
        var kernel = OnnxAttributes.GetIntsOrNull(node, "kernel_shape") ?? throw new NotSupportedException("MaxPool needs kernel_shape.");
        var strides = OnnxAttributes.GetInts(node, "strides", spatial, 1);
        var dilations = OnnxAttributes.GetInts(node, "dilations", spatial, 1);
        if (Enumerable.Range(0, spatial).All(i => strides[i] >= kernel[i] && dilations[i] == 1))
        {
            // Windows do not overlap, so no two outputs share an argmax: MaxUnpool places each gradient
            // on its argmax directly, faster than a scatter-add.
            inputGradients[0] = e.Op("MaxUnpool", new[] { outputGradients[0]!, IndicesOf(node), e.Int64s(xs) },
                OnnxAttributes.Ints("kernel_shape", kernel), OnnxAttributes.Ints("strides", strides));
            return;
        }

        var total = GradientContext.Count(xs);
        var zeros = e.Op("ConstantOfShape", new[] { e.Int64s(total) }, OnnxAttributes.Tensor("value", OnnxTensors.FromFloats("", new[] { 0f }, new long[] { 1 })));
        var indices = e.Reshape(IndicesOf(node), -1);
        var updates = e.Reshape(outputGradients[0]!, -1);
        var scattered = e.Op("ScatterElements", new[] { zeros, indices, updates }, OnnxAttributes.Int("axis", 0), OnnxAttributes.String("reduction", "add"));
        inputGradients[0] = e.Reshape(scattered, xs);
    }
}

/// <summary>
/// AveragePool (padding counted in the divisor, or no padding): the transposed depthwise convolution
/// with a constant 1/(kh·kw) kernel spreads each output's gradient over its window.
/// </summary>
internal sealed class AveragePoolGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var xs = context.Shape(node.Input[0]);
        var spatial = xs.Length - 2;
        var kernel = OnnxAttributes.GetIntsOrNull(node, "kernel_shape") ?? throw new NotSupportedException("AveragePool needs kernel_shape.");
        var strides = OnnxAttributes.GetInts(node, "strides", spatial, 1);
        var pads = OnnxAttributes.GetInts(node, "pads", 2 * spatial, 0);
        if (OnnxAttributes.GetString(node, "auto_pad", "NOTSET") != "NOTSET")
        {
            throw new NotSupportedException("AveragePool gradients need explicit pads.");
        }

        if (pads.Any(p => p != 0) && OnnxAttributes.GetInt(node, "count_include_pad", 0) == 0)
        {
            throw new NotSupportedException("AveragePool gradients with padding need count_include_pad=1.");
        }

        var channels = xs[1];
        var window = GradientContext.Count(kernel);
        var weights = new float[channels * window];
        Array.Fill(weights, 1f / window);
        var w = e.Floats("avgpool_kernel", weights, new long[] { channels, 1 }.Concat(kernel).ToArray());
        inputGradients[0] = e.Op("ConvTranspose", new[] { outputGradients[0]!, w },
            OnnxAttributes.Int("group", channels),
            OnnxAttributes.Ints("kernel_shape", kernel),
            OnnxAttributes.Ints("strides", strides),
            OnnxAttributes.Ints("pads", pads),
            OnnxAttributes.Ints("output_padding", ConvGradient.OutputPadding(xs, context.Shape(node.Output[0]), kernel, strides, pads, null)));
    }
}
