using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Gradients;

/// <summary>
/// Resize (upsampling as FPNs use it) in modes nearest and linear over the last two axes, with any of the
/// coordinate transforms but tf_crop_and_resize. The resize is separable and linear in its input, so each
/// resized axis is a fixed matrix A [out, in] (one-hot rows for nearest, two interpolation weights for
/// linear) built here from the static shapes, and the gradient is its transpose: dX = A_hᵀ·dY·A_w, two
/// MatMuls. Nearest upsampling by an integer factor s where output i reads input ⌊i/s⌋ (PyTorch's
/// asymmetric/floor export, and the half-pixel default) is cheaper still: reshape [.., H, s, W, s] and sum.
/// </summary>
internal sealed class ResizeGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var xs = context.Shape(node.Input[0]);
        var ys = context.Shape(node.Output[0]);
        var rank = xs.Length;
        var mode = OnnxAttributes.GetString(node, "mode", "nearest");
        var transform = OnnxAttributes.GetString(node, "coordinate_transformation_mode", "half_pixel");
        var nearestMode = OnnxAttributes.GetString(node, "nearest_mode", "round_prefer_floor");
        if (mode is not ("nearest" or "linear"))
        {
            throw new NotSupportedException($"Resize gradients support modes nearest and linear, not {mode} (node {node.Name}).");
        }

        if (OnnxAttributes.Find(node, "antialias") is { I: not 0 } || OnnxAttributes.Find(node, "axes") is not null)
        {
            throw new NotSupportedException($"Resize gradients do not support antialias or axes (node {node.Name}).");
        }

        var scales = Scales(node, context, xs, ys);
        var matrices = new float[rank][];
        var integerNearest = true;
        for (var axis = 0; axis < rank; axis++)
        {
            if (xs[axis] == ys[axis] && scales[axis] == 1f)
            {
                continue;
            }

            if (axis < rank - 2)
            {
                throw new NotSupportedException($"Resize gradients support resizing the last two axes only (node {node.Name} resizes axis {axis}).");
            }

            matrices[axis] = Interpolation(xs[axis], ys[axis], scales[axis], mode, transform, nearestMode);
            integerNearest &= mode == "nearest" && ys[axis] % xs[axis] == 0 && ReadsFloor(matrices[axis], xs[axis], ys[axis]);
        }

        var dy = outputGradients[0]!;
        if (integerNearest)
        {
            // Split each resized axis into (input, factor) and sum over the factors.
            var split = new List<long>();
            var factorAxes = new List<long>();
            for (var axis = 0; axis < rank; axis++)
            {
                split.Add(xs[axis]);
                if (matrices[axis] is not null)
                {
                    factorAxes.Add(split.Count);
                    split.Add(ys[axis] / xs[axis]);
                }
            }

            inputGradients[0] = factorAxes.Count == 0 ? dy : e.ReduceSum(e.Reshape(dy, split.ToArray()), factorAxes.ToArray(), keepDims: false);
            return;
        }

        if (matrices[rank - 1] is { } width)
        {
            // dY [.., Ho, Wo] · A_w [Wo, Wi].
            dy = e.Op("MatMul", new[] { dy, e.Floats("resize_width", width, new[] { ys[rank - 1], xs[rank - 1] }) });
        }

        if (rank >= 2 && matrices[rank - 2] is { } height)
        {
            // A_hᵀ [Hi, Ho] · dY [.., Ho, Wi], broadcast over the leading axes.
            dy = e.Op("MatMul", new[] { e.Floats("resize_height", Transpose(height, ys[rank - 2], xs[rank - 2]), new[] { xs[rank - 2], ys[rank - 2] }), dy });
        }

        inputGradients[0] = dy;
    }

    /// <summary>The per-axis scales: the constant scales input when there is one, else output over input size (as Resize does for sizes).</summary>
    private static float[] Scales(NodeProto node, GradientContext context, long[] xs, long[] ys)
    {
        if (node.Input.Count > 2 && node.Input[2].Length > 0 && context.Constant(node.Input[2]) is { } constant)
        {
            var values = OnnxTensors.ToFloats(constant);
            if (values.Length == xs.Length)
            {
                return values;
            }
        }

        return xs.Select((d, i) => (float)ys[i] / d).ToArray();
    }

    /// <summary>
    /// The row-major matrix [outLength, inLength] of one axis's resize: row o holds the weights output o
    /// gives each input, from ONNX's coordinate transform and nearest rounding (or linear weights, the
    /// source coordinate clamped into the input as ONNX Runtime and PyTorch do).
    /// </summary>
    internal static float[] Interpolation(long inLength, long outLength, float scale, string mode, string transform, string nearestMode)
    {
        var matrix = new float[outLength * inLength];
        for (long o = 0; o < outLength; o++)
        {
            var x = transform switch
            {
                "half_pixel" => ((o + 0.5) / scale) - 0.5,
                "pytorch_half_pixel" => outLength > 1 ? ((o + 0.5) / scale) - 0.5 : 0,
                "align_corners" => outLength == 1 ? 0 : o * (inLength - 1) / (double)(outLength - 1),
                "asymmetric" => o / (double)scale,
                "tf_half_pixel_for_nn" => (o + 0.5) / scale,
                _ => throw new NotSupportedException($"Resize gradients do not support coordinate_transformation_mode {transform}."),
            };

            if (mode == "nearest")
            {
                var nearest = nearestMode switch
                {
                    "round_prefer_floor" => x - Math.Floor(x) == 0.5 ? Math.Floor(x) : Math.Round(x, MidpointRounding.AwayFromZero),
                    "round_prefer_ceil" => x - Math.Floor(x) == 0.5 ? Math.Ceiling(x) : Math.Round(x, MidpointRounding.AwayFromZero),
                    "floor" => Math.Floor(x),
                    "ceil" => Math.Ceiling(x),
                    _ => throw new NotSupportedException($"Resize gradients do not support nearest_mode {nearestMode}."),
                };
                matrix[(o * inLength) + (long)Math.Clamp(nearest, 0, inLength - 1)] = 1f;
            }
            else
            {
                x = Math.Clamp(x, 0, inLength - 1);
                var x0 = (long)Math.Floor(x);
                var x1 = Math.Min(x0 + 1, inLength - 1);
                var w1 = (float)(x - x0);
                matrix[(o * inLength) + x0] += 1f - w1;
                matrix[(o * inLength) + x1] += w1;
            }
        }

        return matrix;
    }

    /// <summary>Whether each output row of a nearest matrix reads input ⌊o·in/out⌋ (an integer-factor repeat).</summary>
    private static bool ReadsFloor(float[] matrix, long inLength, long outLength)
    {
        var factor = outLength / inLength;
        for (long o = 0; o < outLength; o++)
        {
            if (matrix[(o * inLength) + (o / factor)] != 1f)
            {
                return false;
            }
        }

        return true;
    }

    private static float[] Transpose(float[] matrix, long rows, long columns)
    {
        var result = new float[matrix.Length];
        for (long r = 0; r < rows; r++)
        {
            for (long c = 0; c < columns; c++)
            {
                result[(c * rows) + r] = matrix[(r * columns) + c];
            }
        }

        return result;
    }
}
