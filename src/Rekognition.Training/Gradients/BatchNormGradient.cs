using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;
using Rekognition.Training.Kernels;

namespace Rekognition.Training.Gradients;

/// <summary>
/// BatchNormalization in training mode, written out in standard ops with few full-tensor passes and no
/// normalised tensor x̂ kept for the backward.
/// <para>
/// Forward: the channel statistics come from two read-only reductions, mean = E[x] and
/// var = max(E[x²] − mean², 0) (ReduceSumSquare; the subtraction is on channel vectors), then
/// y = x·a + b with the channel vectors a = γ·invstd, b = β − mean·a: two elementwise passes where the
/// textbook form takes five. The batch statistics are exposed as graph outputs for the running averages.
/// </para>
/// <para>
/// Backward, from the channel sums Sg = Σ dY and Sgx = Σ dY·x over the M elements of a channel
/// (x̂ = (x − mean)·invstd): dβ = Sg, dγ = Σ dY·x̂ = invstd·(Sgx − mean·Sg), and
/// dX = γ·invstd·(dY − dβ/M − x̂·dγ/M) = dY·A + x·B + C with
/// A = γ·invstd, B = −A·invstd·dγ/M, C = −A·dβ/M − B·mean.
/// </para>
/// Elementwise Mul and Add are used rather than an inference-mode BatchNormalization node for the affine
/// passes: ONNX Runtime's CPU BatchNormalization kernel runs on one thread, Mul and Add on all of them (on
/// two cores both cost the same CPU time).
/// </summary>
internal sealed class BatchNormGradient : IOpGradient
{
    public void Forward(NodeProto node, GradientContext context)
    {
        if (!context.TrainingMode)
        {
            context.Emit.Graph.Node.Add(node.Clone());
            return;
        }

        var e = context.Emit;
        var x = node.Input[0];
        var xs = context.Shape(x);
        var axes = ReducedAxes(xs.Length);
        var channelShape = ChannelShape(xs);
        var epsilon = OnnxAttributes.GetFloat(node, "epsilon", 1e-5f);
        var count = GradientContext.Count(xs) / xs[1];

        string variance;
        if (context.CustomKernels && BatchNormForwardKernel.Supports(xs))
        {
            // The same formulation in one node of two passes (statistics, then y = x·a + b).
            variance = e.Fresh("bn_variance");
            var kernel = new NodeProto { OpType = BatchNormForwardKernel.Name, Domain = TrainingKernels.Domain, Name = e.Fresh("BatchNormForward") };
            kernel.Input.AddRange(new[] { x, node.Input[1], node.Input[2], e.Scalar(epsilon) });
            kernel.Output.AddRange(new[] { node.Output[0], Mean(node), InvStd(node), variance });
            e.Graph.Node.Add(kernel);
        }
        else
        {
            variance = StandardForward(node, e, x, axes, channelShape, epsilon, count);
        }

        // Batch statistics for the running averages; the variance unbiased as the running estimate expects.
        var batchMean = e.Op("Identity", new[] { Mean(node) });
        var batchVariance = e.Mul(variance, e.Scalar(count / (float)Math.Max(1, count - 1)));
        context.ExtraOutputs.Add((batchMean, new[] { xs[1] }));
        context.ExtraOutputs.Add((batchVariance, new[] { xs[1] }));
        context.BatchNorms.Add(new BatchNormStatistics(node.Input[3], node.Input[4], batchMean, batchVariance, OnnxAttributes.GetFloat(node, "momentum", 0.9f),
            OnnxTensors.ToFloats(context.Constant(node.Input[3]) ?? throw new NotSupportedException("Batch norm needs its running mean as an initializer.")),
            OnnxTensors.ToFloats(context.Constant(node.Input[4]) ?? throw new NotSupportedException("Batch norm needs its running variance as an initializer."))));
    }

    /// <summary>The forward in standard ops; returns the (biased) variance.</summary>
    private static string StandardForward(NodeProto node, GraphEmitter e, string x, long[] axes, long[] channelShape, float epsilon, long count)
    {
        // Channel statistics, [C]: both reductions only read x.
        e.Add("ReduceMean", new[] { x }, new[] { Mean(node) }, OnnxAttributes.Ints("axes", axes), OnnxAttributes.Int("keepdims", 0));
        var sumSquares = e.Op("ReduceSumSquare", new[] { x }, OnnxAttributes.Ints("axes", axes), OnnxAttributes.Int("keepdims", 0));
        // Rounding can take E[x²] − mean² just below zero for a constant channel.
        var variance = e.Op("Relu", new[] { e.Sub(e.Mul(sumSquares, e.Scalar(1f / count)), e.Mul(Mean(node), Mean(node))) });
        e.Add("Reciprocal", new[] { e.Op("Sqrt", new[] { e.Add(variance, e.Scalar(epsilon)) }) }, new[] { InvStd(node) });

        // y = x·a + b.
        var scale = e.Mul(node.Input[1], InvStd(node));
        var shift = e.Sub(node.Input[2], e.Mul(Mean(node), scale));
        e.Add("Add", new[] { e.Mul(x, e.Reshape(scale, channelShape)), e.Reshape(shift, channelShape) }, new[] { node.Output[0] });
        return variance;
    }

    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        if (!context.TrainingMode)
        {
            throw new NotSupportedException("Batch norm is differentiated in training mode only.");
        }

        var e = context.Emit;
        var dy = outputGradients[0]!;
        var x = node.Input[0];
        var xs = context.Shape(x);
        context.PendingReluMasks.Remove(node.Output[0], out var reluOutput);
        if (context.CustomKernels && BatchNormGradientKernel.Supports(xs))
        {
            EmitKernel(node, dy, reluOutput, inputGradients, context);
            return;
        }

        if (reluOutput is not null)
        {
            dy = e.Mul(dy, ReluGradient.Positive(e, reluOutput));
        }

        var axes = ReducedAxes(xs.Length);
        var channelShape = ChannelShape(xs);
        var count = GradientContext.Count(xs) / xs[1];
        var needX = context.NeedsGradient(x);
        var needGamma = context.NeedsGradient(node.Input[1]);

        // The channel sums ([C]).
        var sumG = e.ReduceSum(dy, axes, keepDims: false);
        string? dgamma = null;
        if (needX || needGamma)
        {
            var sumGx = e.ReduceSum(e.Mul(dy, x), axes, keepDims: false);
            dgamma = e.Mul(e.Sub(sumGx, e.Mul(Mean(node), sumG)), InvStd(node));
        }

        if (needGamma)
        {
            inputGradients[1] = dgamma;
        }

        if (context.NeedsGradient(node.Input[2]))
        {
            inputGradients[2] = sumG;
        }

        if (needX)
        {
            var invCount = e.Scalar(1f / count);
            var a = e.Mul(node.Input[1], InvStd(node));
            var b = e.Op("Neg", new[] { e.Mul(e.Mul(a, InvStd(node)), e.Mul(dgamma!, invCount)) });
            var c = e.Op("Neg", new[] { e.Add(e.Mul(a, e.Mul(sumG, invCount)), e.Mul(b, Mean(node))) });
            var gradient = e.Add(e.Mul(dy, e.Reshape(a, channelShape)), e.Mul(x, e.Reshape(b, channelShape)));
            inputGradients[0] = e.Add(gradient, e.Reshape(c, channelShape));
        }
    }

    /// <summary>
    /// Whether the batch norm producing <paramref name="relu"/>'s input will apply the ReLU's mask in its fused
    /// kernel: training mode, custom kernels on and supported, and the ReLU the batch norm output's only reader.
    /// </summary>
    public static bool TakesReluMask(NodeProto relu, GradientContext context) =>
        context.CustomKernels && context.TrainingMode
        && context.Producers.TryGetValue(relu.Input[0], out var producer) && producer.OpType == "BatchNormalization"
        && context.Consumers.TryGetValue(relu.Input[0], out var readers) && readers == 1
        && BatchNormGradientKernel.Supports(context.Shape(producer.Input[0]));

    /// <summary>
    /// Turns the forward kernel emitted for <paramref name="relu"/>'s batch norm into the one fused with the ReLU, writing the
    /// ReLU's output (the batch norm's own output had the ReLU as its only reader, <see cref="TakesReluMask"/>).
    /// </summary>
    public static void FuseReluForward(NodeProto relu, GradientContext context)
    {
        var kernel = context.Emit.Graph.Node.Single(n => n.OpType == BatchNormForwardKernel.Name && n.Domain == TrainingKernels.Domain && n.Output[0] == relu.Input[0]);
        kernel.OpType = BatchNormForwardKernel.ReluName;
        kernel.Output[0] = relu.Output[0];
    }

    /// <summary>
    /// Whether <paramref name="relu"/> ends a residual block whose batch norm's forward kernel can take the Add and the ReLU:
    /// custom kernels in training mode, the ReLU the only reader of an Add of two same-shaped tensors, one of them a
    /// batch norm's output read by that Add alone (<paramref name="side"/>: which input). The ReLU's backward is unchanged.
    /// </summary>
    public static bool EndsResidualBlock(NodeProto relu, GradientContext context, out NodeProto add, out int side)
    {
        (add, side) = (null!, -1);
        if (!context.CustomKernels || !context.TrainingMode
            || !context.Producers.TryGetValue(relu.Input[0], out var producer) || producer.OpType != "Add" || producer.Input.Count != 2
            || !context.Consumers.TryGetValue(relu.Input[0], out var readers) || readers != 1)
        {
            return false;
        }

        add = producer;
        for (var i = 0; i < 2; i++)
        {
            var input = producer.Input[i];
            if (context.Producers.TryGetValue(input, out var norm) && norm.OpType == "BatchNormalization"
                && context.Consumers.TryGetValue(input, out var normReaders) && normReaders == 1
                && context.Shape(input).SequenceEqual(context.Shape(producer.Input[1 - i]))
                && BatchNormForwardKernel.Supports(context.Shape(input)))
            {
                side = i;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Turns the forward kernel of the batch norm on <paramref name="side"/> of <paramref name="add"/> into the one that also adds the
    /// other input and applies the ReLU, writing <paramref name="relu"/>'s output; the Add's node goes, and the kernel takes its place
    /// in the node order (after the other input's producer), followed by the nodes that read the kernel's statistics.
    /// </summary>
    public static void FuseResidualForward(NodeProto relu, NodeProto add, int side, GradientContext context)
    {
        var nodes = context.Emit.Graph.Node;
        var kernel = nodes.Single(n => n.OpType == BatchNormForwardKernel.Name && n.Domain == TrainingKernels.Domain && n.Output[0] == add.Input[side]);
        var added = nodes.Single(n => n.OpType == "Add" && n.Output.Count == 1 && n.Output[0] == add.Output[0]);
        var (from, to) = (nodes.IndexOf(kernel), nodes.IndexOf(added));
        var statistics = new HashSet<string>(kernel.Output.Skip(1), StringComparer.Ordinal);
        // The nodes between the two that read the statistics (directly or through each other) move after the kernel.
        var readers = new List<NodeProto>();
        for (var i = from + 1; i < to; i++)
        {
            if (nodes[i].Input.Any(statistics.Contains))
            {
                readers.Add(nodes[i]);
                statistics.UnionWith(nodes[i].Output);
            }
        }

        kernel.OpType = BatchNormForwardKernel.ResidualReluName;
        kernel.Input.Add(add.Input[1 - side]);
        kernel.Output[0] = relu.Output[0];
        nodes.Remove(kernel);
        foreach (var reader in readers)
        {
            nodes.Remove(reader);
        }

        var at = nodes.IndexOf(added);
        nodes[at] = kernel;
        for (var i = 0; i < readers.Count; i++)
        {
            nodes.Insert(at + 1 + i, readers[i]);
        }
    }

    /// <summary>The backward by <see cref="BatchNormGradientKernel"/>, fused with the ReLU's when <paramref name="reluOutput"/> is given.</summary>
    private static void EmitKernel(NodeProto node, string dy, string? reluOutput, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        // With the ReLU fused, a gradient summed over the ReLU output's two readers is summed in the kernel's passes too.
        var (first, second) = (dy, dy);
        var summed = reluOutput is not null && e.TakeSumOfTwo(dy, out first, out second);
        var kernel = new NodeProto
        {
            OpType = summed ? BatchNormGradientKernel.ReluSumName : reluOutput is null ? BatchNormGradientKernel.PlainName : BatchNormGradientKernel.ReluName,
            Domain = TrainingKernels.Domain,
            Name = e.Fresh("BatchNormGrad"),
        };
        kernel.Input.AddRange(summed ? new[] { first, second } : new[] { dy });
        if (reluOutput is not null)
        {
            kernel.Input.Add(reluOutput);
        }

        kernel.Input.AddRange(new[] { node.Input[0], node.Input[1], Mean(node), InvStd(node) });
        var outputs = new[] { e.Fresh("bn_dx"), e.Fresh("bn_dgamma"), e.Fresh("bn_dbeta") };
        kernel.Output.AddRange(outputs);
        e.Graph.Node.Add(kernel);
        for (var i = 0; i < 3; i++)
        {
            if (context.NeedsGradient(node.Input[i]))
            {
                inputGradients[i] = outputs[i];
            }
        }
    }

    private static string Mean(NodeProto node) => node.Output[0] + "__mean";

    private static string InvStd(NodeProto node) => node.Output[0] + "__invstd";

    private static long[] ReducedAxes(int rank) => new long[] { 0 }.Concat(Enumerable.Range(2, rank - 2).Select(i => (long)i)).ToArray();

    private static long[] ChannelShape(long[] xs)
    {
        var shape = new long[xs.Length];
        Array.Fill(shape, 1L);
        shape[1] = xs[1];
        return shape;
    }
}
