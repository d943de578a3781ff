using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Gradients;

/// <summary>ReduceSum and ReduceMean: the gradient broadcast back over the reduced axes (divided by their size for the mean).</summary>
internal sealed class ReduceGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var xs = context.Shape(node.Input[0]);
        var rank = xs.Length;
        long[]? axes = OnnxAttributes.GetIntsOrNull(node, "axes");
        if (axes is null && node.Input.Count > 1 && node.Input[1].Length > 0)
        {
            axes = OnnxTensors.ToInt64s(context.Constant(node.Input[1]) ?? throw new NotSupportedException($"{node.OpType} needs constant axes."));
        }

        axes ??= Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        axes = axes.Select(a => a < 0 ? a + rank : a).ToArray();
        var keptShape = xs.Select((d, i) => axes.Contains(i) ? 1L : d).ToArray();
        var dy = e.Reshape(outputGradients[0]!, keptShape);
        if (node.OpType == "ReduceMean")
        {
            var count = axes.Aggregate(1L, (p, a) => p * xs[a]);
            dy = e.Mul(dy, e.Scalar(1f / count));
        }

        inputGradients[0] = e.Op("Expand", new[] { dy, e.Int64s(xs) });
    }
}
