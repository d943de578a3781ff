using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;
using Rekognition.Training.Kernels;

namespace Rekognition.Training.Gradients;

/// <summary>
/// Conv (2-D, any stride, padding, dilation and groups) in the formulations the training-graph spike
/// measured fastest on ONNX Runtime's CPU kernels:
/// input gradient at stride 1 as a Conv with the flipped, transposed kernel (depthwise: the flipped kernel itself),
/// otherwise ConvTranspose; weight gradient as im2col by one Conv with a constant one-hot kernel followed by
/// one batched MatMul per group; bias gradient as a sum over batch and positions.
/// <para>
/// A trainable convolution with few output positions and many output channels (a ResNet's last stage at
/// 8×8, a pointwise conv at 7×7) runs forward as im2col plus one GEMM over the whole batch instead: ONNX
/// Runtime's Conv does one small GEMM per image there and reaches about half the throughput it gets on large
/// maps. The columns, laid out [Cin·kh·kw, N·P], then serve the weight gradient as one more GEMM, so that
/// backward needs neither a second im2col nor a per-image product summed over the batch.
/// </para>
/// </summary>
internal sealed class ConvGradient : IOpGradient
{
    public void Forward(NodeProto node, GradientContext context)
    {
        if (!RunsAsGemm(node, context))
        {
            context.Emit.Graph.Node.Add(node.Clone());
            return;
        }

        var e = context.Emit;
        var ws = context.Shape(node.Input[1]);
        var y = GemmConv(e, node.Input[0], context.Shape(node.Input[0]), node.Input[1], ws, context.Shape(node.Output[0]), ReadGeometry(node, ws), Columns(node), context.CustomKernels);
        var cout = ws[0];
        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            y = e.Add(y, e.Reshape(node.Input[2], 1, cout, 1, 1));
        }

        e.Add("Identity", new[] { y }, new[] { node.Output[0] });
    }

    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var x = node.Input[0];
        var w = node.Input[1];
        var xs = context.Shape(x);
        var ws = context.Shape(w);
        var ys = context.Shape(node.Output[0]);
        if (xs.Length != 4)
        {
            throw new NotSupportedException("Conv gradients support 2-D convolutions only.");
        }

        if (OnnxAttributes.GetString(node, "auto_pad", "NOTSET") != "NOTSET")
        {
            throw new NotSupportedException("Conv gradients need explicit pads, not auto_pad.");
        }

        var geometry = ReadGeometry(node, ws);
        var dy = outputGradients[0]!;

        if (context.NeedsGradient(x))
        {
            inputGradients[0] = InputGradient(context.Emit, dy, w, xs, ws, ys, geometry, context.CustomKernels);
        }

        if (RunsAsGemm(node, context))
        {
            // dW [Cout, Cin·kh·kw] = dY laid out [Cout, N·P] times the forward's columns, transposed.
            var dyRows = context.Emit.Reshape(context.Emit.Transpose(dy, 1, 0, 2, 3), ws[0], ys[0] * ys[2] * ys[3]);
            var product = context.Emit.Op("MatMul", new[] { dyRows, context.Emit.Transpose(Columns(node), 1, 0) });
            inputGradients[1] = context.Emit.Reshape(product, ws);
        }
        else if (context.NeedsGradient(w))
        {
            inputGradients[1] = context.CustomKernels && ConvWeightGradientKernel.Supports(geometry.Kernel, geometry.Strides, geometry.Dilations, geometry.Group, xs, ys)
                ? CustomWeightGradient(context.Emit, dy, x, geometry)
                : WeightGradient(context.Emit, dy, x, xs, ws, ys, geometry);
        }

        if (node.Input.Count > 2 && context.NeedsGradient(node.Input[2]))
        {
            inputGradients[2] = context.Emit.ReduceSum(dy, new long[] { 0, 2, 3 }, keepDims: false);
        }
    }

    /// <summary>The output_padding that makes a ConvTranspose give back exactly the forward input's spatial size.</summary>
    public static long[] OutputPadding(long[] xs, long[] ys, long[] kernel, long[] strides, long[] pads, long[]? dilations)
    {
        var spatial = xs.Length - 2;
        var result = new long[spatial];
        for (var i = 0; i < spatial; i++)
        {
            var d = dilations?[i] ?? 1;
            var produced = (strides[i] * (ys[i + 2] - 1)) + (d * (kernel[i] - 1)) + 1 - pads[i] - pads[i + spatial];
            result[i] = xs[i + 2] - produced;
        }

        return result;
    }

    private static string InputGradient(GraphEmitter e, string dy, string w, long[] xs, long[] ws, long[] ys, Geometry g, bool customKernels)
    {
        var cin = xs[1];
        var cout = ws[0];
        var depthwise = g.Group == cin && cout == cin;
        // Stride 1: a plain Conv of dY with the flipped kernel, padded so every input position is reached.
        var flippedPads = new long[4];
        var canUseConv = g.Strides.All(s => s == 1) && (g.Group == 1 || depthwise);
        for (var i = 0; i < 2 && canUseConv; i++)
        {
            var reach = g.Dilations[i] * (g.Kernel[i] - 1);
            flippedPads[i] = reach - g.Pads[i];
            flippedPads[i + 2] = reach - g.Pads[i + 2];
            canUseConv &= flippedPads[i] >= 0 && flippedPads[i + 2] >= 0;
        }

        if (canUseConv)
        {
            var flipped = e.Op("Slice", new[] { w, e.Int64s(-1, -1), e.Int64s(long.MinValue, long.MinValue), e.Int64s(2, 3), e.Int64s(-1, -1) });
            var kernel = depthwise ? flipped : e.Transpose(flipped, 1, 0, 2, 3);
            if (g.Group == 1 && FewPositionsManyChannels(xs[2] * xs[3], cin))
            {
                // Few positions, many channels: the same conv as one GEMM over the batch (see the class summary).
                return GemmConv(e, dy, ys, kernel, new[] { cin, cout, g.Kernel[0], g.Kernel[1] }, xs,
                    new Geometry(g.Kernel, new long[] { 1, 1 }, flippedPads, g.Dilations, 1), columns: null, customKernels);
            }

            return e.Op("Conv", new[] { dy, kernel },
                OnnxAttributes.Ints("kernel_shape", g.Kernel),
                OnnxAttributes.Ints("pads", flippedPads),
                OnnxAttributes.Ints("dilations", g.Dilations),
                OnnxAttributes.Int("group", depthwise ? cin : 1));
        }

        return e.Op("ConvTranspose", new[] { dy, w },
            OnnxAttributes.Ints("kernel_shape", g.Kernel),
            OnnxAttributes.Ints("strides", g.Strides),
            OnnxAttributes.Ints("pads", g.Pads),
            OnnxAttributes.Ints("dilations", g.Dilations),
            OnnxAttributes.Int("group", g.Group),
            OnnxAttributes.Ints("output_padding", OutputPadding(xs, ys, g.Kernel, g.Strides, g.Pads, g.Dilations)));
    }

    /// <summary>The weight gradient by <see cref="ConvWeightGradientKernel"/> (the implicit GEMM, no im2col).</summary>
    private static string CustomWeightGradient(GraphEmitter e, string dy, string x, Geometry g)
    {
        var output = e.Fresh("conv_weight_grad");
        var node = new NodeProto { OpType = ConvWeightGradientKernel.Name, Domain = TrainingKernels.Domain, Name = e.Fresh("ConvWeightGrad") };
        node.Input.Add(x);
        node.Input.Add(dy);
        node.Output.Add(output);
        node.Attribute.Add(OnnxAttributes.Int("kernel", g.Kernel[0]));
        node.Attribute.Add(OnnxAttributes.Int("stride", g.Strides[0]));
        node.Attribute.Add(OnnxAttributes.Int("pad_top", g.Pads[0]));
        node.Attribute.Add(OnnxAttributes.Int("pad_left", g.Pads[1]));
        e.Graph.Node.Add(node);
        return output;
    }

    private static string WeightGradient(GraphEmitter e, string dy, string x, long[] xs, long[] ws, long[] ys, Geometry g)
    {
        var (n, cin) = (xs[0], xs[1]);
        var cout = ws[0];
        var groups = g.Group;
        var window = g.Kernel[0] * g.Kernel[1];
        var positions = ys[2] * ys[3];
        var cinPerGroup = cin / groups;
        var coutPerGroup = cout / groups;

        var cols = Im2Col(e, x, xs, g);
        // cols [N, G, Cin/G·kh·kw, P] · dYᵀ [N, G, P, Cout/G] → [N, G, Cin/G·kh·kw, Cout/G], summed over N.
        var colsG = e.Reshape(cols, n, groups, cinPerGroup * window, positions);
        var dyT = e.Transpose(e.Reshape(dy, n, groups, coutPerGroup, positions), 0, 1, 3, 2);
        var products = e.Op("MatMul", new[] { colsG, dyT });
        var summed = e.ReduceSum(products, new long[] { 0 }, keepDims: false);
        var perGroup = e.Transpose(summed, 0, 2, 1);
        return e.Reshape(perGroup, ws);
    }

    /// <summary>
    /// Whether the node runs forward as im2col plus one GEMM (see the class summary): a trainable weight, one
    /// group, and at least twice as many output channels as output positions.
    /// </summary>
    private static bool RunsAsGemm(NodeProto node, GradientContext context)
    {
        if (node.Input.Count < 2 || !context.NeedsGradient(node.Input[1]) || OnnxAttributes.GetInt(node, "group", 1) != 1
            || OnnxAttributes.GetString(node, "auto_pad", "NOTSET") != "NOTSET")
        {
            return false;
        }

        var ys = context.Shape(node.Output[0]);
        return ys.Length == 4 && FewPositionsManyChannels(ys[2] * ys[3], ys[1]);
    }

    /// <summary>Where one GEMM over the batch beats ONNX Runtime's per-image Conv: at least twice as many channels as positions.</summary>
    private static bool FewPositionsManyChannels(long positions, long channels) => positions * 2 <= channels;

    /// <summary>
    /// A group-1 conv as im2col plus one GEMM: the columns [Cin·kh·kw, N·P] (named <paramref name="columns"/>
    /// when given), the kernel as [Cout, Cin·kh·kw] times them, and the product back to [N, Cout, Ho, Wo]. With
    /// <paramref name="customKernels"/>, <see cref="ColumnsKernel"/> writes the columns in that layout in one pass.
    /// </summary>
    private static string GemmConv(GraphEmitter e, string x, long[] xs, string w, long[] ws, long[] ys, Geometry g, string? columns, bool customKernels)
    {
        var (n, cout) = (xs[0], ws[0]);
        var window = ws[1] * ws[2] * ws[3];
        var positions = ys[2] * ys[3];
        columns ??= e.Fresh("columns");
        if (customKernels && ColumnsKernel.Supports(xs, g.Dilations))
        {
            var node = e.Add(ColumnsKernel.Name, new[] { x }, new[] { columns },
                OnnxAttributes.Int("kernel_h", g.Kernel[0]), OnnxAttributes.Int("kernel_w", g.Kernel[1]),
                OnnxAttributes.Int("stride_h", g.Strides[0]), OnnxAttributes.Int("stride_w", g.Strides[1]),
                OnnxAttributes.Int("pad_top", g.Pads[0]), OnnxAttributes.Int("pad_left", g.Pads[1]),
                OnnxAttributes.Int("out_h", ys[2]), OnnxAttributes.Int("out_w", ys[3]));
            node.Domain = TrainingKernels.Domain;
        }
        else
        {
            // [N, Cin·kh·kw, P] → [Cin·kh·kw, N·P]: the batch joins the positions as the GEMM's long side.
            var laidOut = e.Transpose(e.Reshape(Im2Col(e, x, xs, g), n, window, positions), 1, 0, 2);
            e.Add("Reshape", new[] { laidOut, e.Int64s(window, n * positions) }, new[] { columns });
        }

        var product = e.Op("MatMul", new[] { e.Reshape(w, cout, window), columns });
        return e.Transpose(e.Reshape(product, cout, n, ys[2], ys[3]), 1, 0, 2, 3);
    }

    /// <summary>The forward's columns [Cin·kh·kw, N·P], kept for the weight gradient.</summary>
    private static string Columns(NodeProto node) => node.Output[0] + "__columns";

    private static Geometry ReadGeometry(NodeProto node, long[] ws) => new(
        Kernel: ws[2..],
        Strides: OnnxAttributes.GetInts(node, "strides", 2, 1),
        Pads: OnnxAttributes.GetInts(node, "pads", 4, 0),
        Dilations: OnnxAttributes.GetInts(node, "dilations", 2, 1),
        Group: OnnxAttributes.GetInt(node, "group", 1));

    /// <summary>
    /// im2col as [N·Cin, kh·kw, Ho, Wo]: each input channel convolved with the one-hot kernels
    /// K[t,0,i,j] = [t == i·kw + j]. A pointwise, stride-1, unpadded conv's columns are its input.
    /// </summary>
    private static string Im2Col(GraphEmitter e, string x, long[] xs, Geometry g)
    {
        var window = g.Kernel[0] * g.Kernel[1];
        if (window == 1 && g.Strides.All(s => s == 1) && g.Pads.All(p => p == 0))
        {
            return x;
        }

        var onehot = new float[window * window];
        for (var t = 0; t < window; t++)
        {
            onehot[(t * window) + t] = 1f;
        }

        var k = e.SharedFloats("im2col_onehot", onehot, new[] { window, 1, g.Kernel[0], g.Kernel[1] });
        return e.Op("Conv", new[] { e.Reshape(x, xs[0] * xs[1], 1, xs[2], xs[3]), k },
            OnnxAttributes.Ints("kernel_shape", g.Kernel),
            OnnxAttributes.Ints("strides", g.Strides),
            OnnxAttributes.Ints("pads", g.Pads),
            OnnxAttributes.Ints("dilations", g.Dilations));
    }

    private readonly record struct Geometry(long[] Kernel, long[] Strides, long[] Pads, long[] Dilations, long Group);
}
