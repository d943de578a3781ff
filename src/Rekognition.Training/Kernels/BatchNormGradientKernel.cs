using System.Runtime.Intrinsics;

namespace Rekognition.Training.Kernels;

/// <summary>
/// The training-mode batch-norm backward in two passes over the data, optionally fused with the backward of the
/// ReLU that follows it (the gradient passes where the ReLU's output y is positive), and then optionally with the Sum of the
/// ReLU output's two gradients (the output read twice, as a ResNet's stem output is by the first block's convolution and
/// its shortcut), so that neither the Sum nor the mask takes a pass of its own. Pass one sums, per channel,
/// Sg = Σ g and Sgx = Σ g·x with g the (masked) incoming gradient; pass two writes dX = g·A + x·B + C with the
/// channel constants of <see cref="Gradients.BatchNormGradient"/>'s formulation. Channels run in parallel on the
/// session's intra-op threads. The standard-op formulation takes about twenty passes for the same result.
/// </summary>
/// <remarks>
/// Inputs: dY [N, C, ...], (dY₂ [N, C, ...] when summed), (y [N, C, ...] when fused with the ReLU), x [N, C, ...], γ [C], mean [C], invstd [C].
/// Outputs: dX [N, C, ...], dγ [C], dβ [C].
/// </remarks>
internal sealed class BatchNormGradientKernel : CustomKernel
{
    /// <summary>The op type of the plain batch-norm backward.</summary>
    public const string PlainName = "BatchNormGrad";

    /// <summary>The op type of the batch-norm backward fused with the following ReLU's.</summary>
    public const string ReluName = "BatchNormReluGrad";

    /// <summary>The op type of the batch-norm backward fused with the following ReLU's, on the sum of two gradients.</summary>
    public const string ReluSumName = "BatchNormReluSumGrad";

    private readonly bool _relu;
    private readonly bool _summed;

    public BatchNormGradientKernel(bool relu, bool summed = false)
    {
        _relu = relu || summed;
        _summed = summed;
    }

    public override string OpType => _summed ? ReluSumName : _relu ? ReluName : PlainName;

    public override int Inputs => _summed ? 7 : _relu ? 6 : 5;

    public override int Outputs => 3;

    /// <summary>Whether the kernel takes this batch norm's backward: a rank-3 or more input and 256-bit vectors.</summary>
    public static bool Supports(long[] xs) => xs.Length >= 3 && Vector256.IsHardwareAccelerated;

    public override unsafe void Compute(KernelContext context, long[] attributes)
    {
        var next = 0;
        var dy = context.Input(next++);
        var other = _summed ? context.Input(next++).Pointer : null;
        var y = _relu ? context.Input(next++) : default;
        var x = context.Input(next++);
        var gamma = context.Input(next++).Pointer;
        var mean = context.Input(next++).Pointer;
        var invstd = context.Input(next).Pointer;
        var shape = x.Shape;
        var (n, channels) = ((int)shape[0], (int)shape[1]);
        var plane = (int)(x.Count / n / channels);
        var dx = context.Output(0, shape).Pointer;
        var dgamma = context.Output(1, new long[] { channels }).Pointer;
        var dbeta = context.Output(2, new long[] { channels }).Pointer;
        var dyp = dy.Pointer;
        var yp = _relu ? y.Pointer : null;
        var xp = x.Pointer;
        var count = (double)n * plane;
        context.ParallelFor(channels, c =>
        {
            double sumG = 0, sumGx = 0;
            for (var i = 0; i < n; i++)
            {
                var offset = (((long)i * channels) + c) * plane;
                var (g, gx) = Sums(dyp + offset, other == null ? null : other + offset, yp is null ? null : yp + offset, xp + offset, plane);
                sumG += g;
                sumGx += gx;
            }

            var gradientGamma = (sumGx - (mean[c] * sumG)) * invstd[c];
            dgamma[c] = (float)gradientGamma;
            dbeta[c] = (float)sumG;
            var a = (double)gamma[c] * invstd[c];
            var b = -a * invstd[c] * gradientGamma / count;
            var constant = (-a * sumG / count) - (b * mean[c]);
            for (var i = 0; i < n; i++)
            {
                var offset = (((long)i * channels) + c) * plane;
                Input(dyp + offset, other == null ? null : other + offset, yp is null ? null : yp + offset, xp + offset, dx + offset, plane, (float)a, (float)b, (float)constant);
            }
        });
    }

    /// <summary>Σ g and Σ g·x over one plane, g = dY (+ dY₂ when given) masked by y &gt; 0 when y is given.</summary>
    private static unsafe (double G, double Gx) Sums(float* dy, float* other, float* y, float* x, int length)
    {
        Vector256<float> g = default, gx = default;
        var i = 0;
        for (; i + 8 <= length; i += 8)
        {
            var d = Vector256.Load(dy + i);
            if (other != null)
            {
                d += Vector256.Load(other + i);
            }

            if (y != null)
            {
                d = Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.Load(y + i), Vector256<float>.Zero), d, Vector256<float>.Zero);
            }

            g += d;
            gx = Vector256.FusedMultiplyAdd(d, Vector256.Load(x + i), gx);
        }

        double sumG = Vector256.Sum(g), sumGx = Vector256.Sum(gx);
        for (; i < length; i++)
        {
            var d = y == null || y[i] > 0 ? dy[i] + (other == null ? 0f : other[i]) : 0f;
            sumG += d;
            sumGx += d * x[i];
        }

        return (sumG, sumGx);
    }

    /// <summary>dX = g·a + x·b + c over one plane.</summary>
    private static unsafe void Input(float* dy, float* other, float* y, float* x, float* dx, int length, float a, float b, float c)
    {
        var (va, vb, vc) = (Vector256.Create(a), Vector256.Create(b), Vector256.Create(c));
        var i = 0;
        for (; i + 8 <= length; i += 8)
        {
            var d = Vector256.Load(dy + i);
            if (other != null)
            {
                d += Vector256.Load(other + i);
            }

            if (y != null)
            {
                d = Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.Load(y + i), Vector256<float>.Zero), d, Vector256<float>.Zero);
            }

            Vector256.FusedMultiplyAdd(d, va, Vector256.FusedMultiplyAdd(Vector256.Load(x + i), vb, vc)).Store(dx + i);
        }

        for (; i < length; i++)
        {
            var d = y == null || y[i] > 0 ? dy[i] + (other == null ? 0f : other[i]) : 0f;
            dx[i] = (d * a) + ((x[i] * b) + c);
        }
    }
}
