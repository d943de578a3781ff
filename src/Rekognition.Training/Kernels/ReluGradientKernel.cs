using System.Runtime.Intrinsics;

namespace Rekognition.Training.Kernels;

/// <summary>
/// The ReLU backward in one pass: dX = dY where the ReLU's output y is positive, else 0, optionally with dY the sum of
/// two gradients (a ReLU output read twice, as a residual block's end is by the next block's convolution and its
/// shortcut), so that the Sum of the two runs in the same pass. The standard ops take three passes (Greater, Cast to
/// float, Mul) and a fourth for the Sum; ONNX Runtime's Cast from bool ran on one thread and cost the most of them.
/// </summary>
/// <remarks>Inputs: dY [any shape] (and dY₂ of the same shape when summed), y [the same shape]. Output: dX [the same shape].</remarks>
internal sealed class ReluGradientKernel : CustomKernel
{
    /// <summary>The op type of the ReLU backward on one gradient.</summary>
    public const string Name = "ReluGrad";

    /// <summary>The op type of the ReLU backward on the sum of two gradients.</summary>
    public const string SumName = "ReluSumGrad";

    // Elements per parallel work item: a few hundred kilobytes per tensor, so two threads share a large tensor evenly.
    private const int Block = 1 << 16;

    private readonly bool _summed;

    public ReluGradientKernel(bool summed) => _summed = summed;

    public override string OpType => _summed ? SumName : Name;

    public override int Inputs => _summed ? 3 : 2;

    public override int Outputs => 1;

    /// <summary>Whether the kernel takes this ReLU's backward: 256-bit vectors and a shape known when the graph is built.</summary>
    public static bool Supports(long[] shape) => Vector256.IsHardwareAccelerated && shape.Length > 0 && shape.All(d => d > 0);

    public override unsafe void Compute(KernelContext context, long[] attributes)
    {
        var y = context.Input(_summed ? 2 : 1);
        var count = y.Count;
        // The graph gives these the same static shape; a run that breaks that reads past a buffer, so it fails instead.
        if (context.Input(0).Count != count || (_summed && context.Input(1).Count != count))
        {
            throw new ArgumentException($"{OpType} needs its gradients and y of the same shape.");
        }

        var dy = context.Input(0).Pointer;
        var other = _summed ? context.Input(1).Pointer : null;
        var dx = context.Output(0, y.Shape).Pointer;
        var yp = y.Pointer;
        var blocks = (int)((count + Block - 1) / Block);
        context.ParallelFor(blocks, b =>
        {
            var start = (long)b * Block;
            Masked(dy + start, other == null ? null : other + start, yp + start, dx + start, (int)Math.Min(Block, count - start));
        });
    }

    /// <summary>dx = (dy + other) where y &gt; 0, else 0, over <paramref name="length"/> elements (other may be null).</summary>
    private static unsafe void Masked(float* dy, float* other, float* y, float* dx, int length)
    {
        var i = 0;
        for (; i + 8 <= length; i += 8)
        {
            var d = Vector256.Load(dy + i);
            if (other != null)
            {
                d += Vector256.Load(other + i);
            }

            Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.Load(y + i), Vector256<float>.Zero), d, Vector256<float>.Zero).Store(dx + i);
        }

        for (; i < length; i++)
        {
            dx[i] = y[i] > 0 ? dy[i] + (other == null ? 0f : other[i]) : 0f;
        }
    }
}
