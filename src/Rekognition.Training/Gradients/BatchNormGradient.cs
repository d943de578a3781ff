using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Gradients;

/// <summary>
/// BatchNormalization in training mode, written out in standard ops: normalised with the batch's own
/// mean and variance (over every axis but channels), the batch statistics exposed as graph outputs for the
/// running averages, and the closed-form backward
/// dX = invstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)) with dx̂ = dY · γ.
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
        var y = node.Output[0];

        var mean = e.Op("ReduceMean", new[] { x }, OnnxAttributes.Ints("axes", axes), OnnxAttributes.Int("keepdims", 1));
        var centred = e.Sub(x, mean);
        var variance = e.Op("ReduceMean", new[] { e.Mul(centred, centred) }, OnnxAttributes.Ints("axes", axes), OnnxAttributes.Int("keepdims", 1));
        e.Add("Reciprocal", new[] { e.Op("Sqrt", new[] { e.Add(variance, e.Scalar(epsilon)) }) }, new[] { InvStd(node) });
        e.Add("Mul", new[] { centred, InvStd(node) }, new[] { Normalised(node) });
        var scaled = e.Mul(Normalised(node), e.Reshape(node.Input[1], channelShape));
        e.Add("Add", new[] { scaled, e.Reshape(node.Input[2], channelShape) }, new[] { y });

        // Batch statistics for the running averages; the variance unbiased as the running estimate expects.
        var count = GradientContext.Count(xs) / xs[1];
        var batchMean = e.Reshape(mean, xs[1]);
        var batchVariance = e.Reshape(e.Mul(variance, e.Scalar(count / (float)Math.Max(1, count - 1))), xs[1]);
        context.ExtraOutputs.Add((batchMean, new[] { xs[1] }));
        context.ExtraOutputs.Add((batchVariance, new[] { xs[1] }));
        context.BatchNorms.Add(new BatchNormStatistics(node.Input[3], node.Input[4], batchMean, batchVariance, OnnxAttributes.GetFloat(node, "momentum", 0.9f),
            OnnxTensors.ToFloats(context.Constant(node.Input[3]) ?? throw new NotSupportedException("Batch norm needs its running mean as an initializer.")),
            OnnxTensors.ToFloats(context.Constant(node.Input[4]) ?? throw new NotSupportedException("Batch norm needs its running variance as an initializer."))));
    }

    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        if (!context.TrainingMode)
        {
            throw new NotSupportedException("Batch norm is differentiated in training mode only.");
        }

        var e = context.Emit;
        var dy = outputGradients[0]!;
        var xs = context.Shape(node.Input[0]);
        var axes = ReducedAxes(xs.Length);
        var xhat = Normalised(node);
        if (context.NeedsGradient(node.Input[1]))
        {
            inputGradients[1] = e.ReduceSum(e.Mul(dy, xhat), axes, keepDims: false);
        }

        if (context.NeedsGradient(node.Input[2]))
        {
            inputGradients[2] = e.ReduceSum(dy, axes, keepDims: false);
        }

        if (context.NeedsGradient(node.Input[0]))
        {
            var dxhat = e.Mul(dy, e.Reshape(node.Input[1], ChannelShape(xs)));
            var meanD = e.Op("ReduceMean", new[] { dxhat }, OnnxAttributes.Ints("axes", axes), OnnxAttributes.Int("keepdims", 1));
            var meanDx = e.Op("ReduceMean", new[] { e.Mul(dxhat, xhat) }, OnnxAttributes.Ints("axes", axes), OnnxAttributes.Int("keepdims", 1));
            var inner = e.Sub(e.Sub(dxhat, meanD), e.Mul(xhat, meanDx));
            inputGradients[0] = e.Mul(inner, InvStd(node));
        }
    }

    private static string Normalised(NodeProto node) => node.Output[0] + "__xhat";

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
