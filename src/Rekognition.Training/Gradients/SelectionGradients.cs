using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Gradients;

/// <summary>
/// Min and Max of one or two inputs with broadcasting: the gradient goes to the selected operand, split in
/// half on ties (as PyTorch's minimum/maximum), then is summed back to each operand's shape.
/// </summary>
internal sealed class MinMaxGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var dy = outputGradients[0]!;
        if (node.Input.Count == 1)
        {
            inputGradients[0] = dy;
            return;
        }

        if (node.Input.Count != 2)
        {
            throw new NotSupportedException($"{node.OpType} gradients support one or two inputs; node {node.Name} has {node.Input.Count}.");
        }

        var e = context.Emit;
        var (a, b) = (node.Input[0], node.Input[1]);
        var outShape = context.Shape(node.Output[0]);
        // a wins where a > b for Max (a < b for Min); a tie gives each operand half.
        var wins = e.FloatMask(e.Op(node.OpType == "Max" ? "Greater" : "Less", new[] { a, b }));
        var ties = e.Mul(e.FloatMask(e.Op("Equal", new[] { a, b })), e.Scalar(0.5f));
        var share = e.Add(wins, ties);
        if (context.NeedsGradient(a))
        {
            inputGradients[0] = context.Unbroadcast(e.Mul(dy, share), outShape, context.Shape(a));
        }

        if (context.NeedsGradient(b))
        {
            inputGradients[1] = context.Unbroadcast(e.Mul(dy, e.Sub(e.Scalar(1f), share)), outShape, context.Shape(b));
        }
    }
}

/// <summary>Where(condition, x, y): the gradient goes to x where the condition holds and to y elsewhere; none to the condition.</summary>
internal sealed class WhereGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var dy = outputGradients[0]!;
        var condition = node.Input[0];
        var outShape = context.Shape(node.Output[0]);
        var zero = e.Scalar(0f);
        if (context.NeedsGradient(node.Input[1]))
        {
            inputGradients[1] = context.Unbroadcast(e.Op("Where", new[] { condition, dy, zero }), outShape, context.Shape(node.Input[1]));
        }

        if (context.NeedsGradient(node.Input[2]))
        {
            inputGradients[2] = context.Unbroadcast(e.Op("Where", new[] { condition, zero, dy }), outShape, context.Shape(node.Input[2]));
        }
    }
}

/// <summary>
/// ReduceMax: the gradient goes to the elements equal to their slice's maximum, shared evenly among ties.
/// </summary>
internal sealed class ReduceMaxGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var x = node.Input[0];
        var xs = context.Shape(x);
        var rank = xs.Length;
        var axes = OnnxAttributes.GetIntsOrNull(node, "axes");
        if (axes is null && node.Input.Count > 1 && node.Input[1].Length > 0)
        {
            // Opset 18 moved the axes to an input.
            axes = OnnxTensors.ToInt64s(context.Constant(node.Input[1]) ?? throw new NotSupportedException("ReduceMax needs constant axes."));
        }

        axes ??= Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        axes = axes.Select(a => a < 0 ? a + rank : a).ToArray();
        var keptShape = xs.Select((d, i) => axes.Contains(i) ? 1L : d).ToArray();
        var max = e.Reshape(node.Output[0], keptShape);
        var mask = e.FloatMask(e.Op("Equal", new[] { x, max }));
        var ties = e.ReduceSum(mask, axes, keepDims: true);
        var share = e.Div(e.Reshape(outputGradients[0]!, keptShape), ties);
        inputGradients[0] = e.Mul(mask, share);
    }
}
