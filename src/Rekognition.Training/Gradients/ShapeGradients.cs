using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Gradients;

/// <summary>Ops that only rearrange or relabel elements (Reshape, Flatten, Squeeze, Unsqueeze, Identity): reshape the gradient back.</summary>
internal sealed class ReshapeGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var x = node.Input[0];
        var xs = context.Shape(x);
        inputGradients[0] = xs.AsSpan().SequenceEqual(context.Shape(node.Output[0]))
            ? outputGradients[0]
            : context.Emit.Reshape(outputGradients[0]!, xs);
    }
}

/// <summary>Transpose: the gradient transposed by the inverse permutation.</summary>
internal sealed class TransposeGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var rank = context.Shape(node.Input[0]).Length;
        var perm = OnnxAttributes.GetIntsOrNull(node, "perm") ?? Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray();
        var inverse = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            inverse[perm[i]] = i;
        }

        inputGradients[0] = context.Emit.Transpose(outputGradients[0]!, inverse);
    }
}

/// <summary>Concat: the gradient split along the axis into the inputs' sizes.</summary>
internal sealed class ConcatGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var rank = context.Shape(node.Output[0]).Length;
        var axis = OnnxAttributes.GetInt(node, "axis", 0);
        if (axis < 0)
        {
            axis += rank;
        }

        var sizes = node.Input.Select(i => context.Shape(i)[axis]).ToArray();
        var parts = context.Emit.OpMulti("Split", new[] { outputGradients[0]!, context.Emit.Int64s(sizes) }, sizes.Length, OnnxAttributes.Int("axis", axis));
        for (var i = 0; i < parts.Length; i++)
        {
            if (context.NeedsGradient(node.Input[i]))
            {
                inputGradients[i] = parts[i];
            }
        }
    }
}

/// <summary>Slice with unit steps: the gradient padded with zeros back to the input's shape.</summary>
internal sealed class SliceGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var xs = context.Shape(node.Input[0]);
        var rank = xs.Length;
        long[] Const(int i) => node.Input.Count > i && node.Input[i].Length > 0
            ? OnnxTensors.ToInt64s(context.Constant(node.Input[i]) ?? throw new NotSupportedException("Slice needs constant starts, ends, axes and steps to be differentiated."))
            : Array.Empty<long>();
        var starts = Const(1);
        var ends = Const(2);
        var axes = Const(3);
        var steps = Const(4);
        if (axes.Length == 0)
        {
            axes = Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        }

        var pads = new long[2 * rank];
        for (var k = 0; k < axes.Length; k++)
        {
            if (steps.Length > 0 && steps[k] != 1)
            {
                throw new NotSupportedException("Slice gradients support unit steps only.");
            }

            var axis = (int)(axes[k] < 0 ? axes[k] + rank : axes[k]);
            var dim = xs[axis];
            var start = starts[k] < 0 ? starts[k] + dim : starts[k];
            var end = ends[k] < 0 ? ends[k] + dim : ends[k];
            start = Math.Clamp(start, 0, dim);
            end = Math.Clamp(end, 0, dim);
            pads[axis] = start;
            pads[axis + rank] = dim - end;
        }

        inputGradients[0] = context.Emit.Op("Pad", new[] { outputGradients[0]!, context.Emit.Int64s(pads) });
    }
}
