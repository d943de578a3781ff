using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Gradients;

/// <summary>
/// Gather along an axis: each gathered slice's gradient is added back at its index (repeated indices
/// accumulate). The axis is moved to the front so one ScatterND with reduction add does it, then moved back.
/// </summary>
internal sealed class GatherGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var xs = context.Shape(node.Input[0]);
        var indexShape = context.Shape(node.Input[1]);
        var (r, q) = (xs.Length, indexShape.Length);
        var axis = (int)OnnxAttributes.GetInt(node, "axis", 0);
        if (axis < 0)
        {
            axis += r;
        }

        // dY is xs[:a] + indices + xs[a+1:]; bring the index axes to the front.
        var toFront = Enumerable.Range(axis, q).Concat(Enumerable.Range(0, axis)).Concat(Enumerable.Range(axis + q, r - axis - 1)).Select(i => (long)i).ToArray();
        var dy = toFront.Select((p, i) => p == i).All(x => x) ? outputGradients[0]! : e.Transpose(outputGradients[0]!, toFront);
        var frontShape = new[] { xs[axis] }.Concat(xs[..axis]).Concat(xs[(axis + 1)..]).ToArray();
        var zeros = Zeros(e, frontShape);

        // Negative indices count from the end; ScatterND wants them in [0, dim).
        var indices = e.Op("Cast", new[] { node.Input[1] }, OnnxAttributes.Int("to", OnnxTensors.Int64));
        var wrapped = e.Add(indices, e.Reshape(e.Int64s(xs[axis]), Array.Empty<long>()));
        indices = e.Op("Where", new[] { e.Op("Less", new[] { indices, e.Reshape(e.Int64s(0), Array.Empty<long>()) }), wrapped, indices });
        var scattered = e.Op("ScatterND", new[] { zeros, e.Op("Unsqueeze", new[] { indices, e.Int64s(-1) }), dy }, OnnxAttributes.String("reduction", "add"));

        // Axis 0 of the result is the gathered axis: put it back at its place.
        var back = Enumerable.Range(0, r).Select(t => (long)(t < axis ? t + 1 : t == axis ? 0 : t)).ToArray();
        inputGradients[0] = axis == 0 ? scattered : e.Transpose(scattered, back);
    }

    /// <summary>A float tensor of zeros of a static shape.</summary>
    internal static string Zeros(GraphEmitter e, long[] shape) =>
        e.Op("ConstantOfShape", new[] { e.Int64s(shape) }, OnnxAttributes.Tensor("value", OnnxTensors.FromFloats("", new[] { 0f }, new long[] { 1 })));
}

/// <summary>GatherElements: the gradient scattered back to the gathered positions with ScatterElements (reduction add).</summary>
internal sealed class GatherElementsGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var zeros = GatherGradient.Zeros(e, context.Shape(node.Input[0]));
        inputGradients[0] = e.Op("ScatterElements", new[] { zeros, node.Input[1], outputGradients[0]! },
            OnnxAttributes.Int("axis", OnnxAttributes.GetInt(node, "axis", 0)), OnnxAttributes.String("reduction", "add"));
    }
}
