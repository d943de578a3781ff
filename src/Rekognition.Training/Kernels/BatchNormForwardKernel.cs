using System.Runtime.Intrinsics;

namespace Rekognition.Training.Kernels;

/// <summary>
/// The training-mode batch-norm forward in two passes over the data: pass one sums, per channel, x and x² (in double),
/// giving mean, variance = max(E[x²] − mean², 0) and invstd; pass two writes y = x·a + b with a = γ·invstd,
/// b = β − mean·a. The standard-op formulation (<see cref="Gradients.BatchNormGradient"/>) reads the data four times
/// and writes it twice (ReduceMean, ReduceSumSquare, Mul, Add). Fused with the ReLU that follows (when it is the batch
/// norm's only reader), pass two writes max(y, 0) and the ReLU's own pass goes; fused with a residual block's end
/// (relu(y + r), the Add its only reader and the ReLU the Add's), pass two also adds r and the Add's pass goes too.
/// Channels run in parallel on the session's intra-op threads.
/// </summary>
/// <remarks>
/// Inputs: x [N, C, ...], γ [C], β [C], ε (one value), (r [N, C, ...] for the residual form).
/// Outputs: y [N, C, ...], mean [C], invstd [C], variance [C] (biased).
/// </remarks>
internal sealed class BatchNormForwardKernel : CustomKernel
{
    /// <summary>The op type of the plain batch-norm forward.</summary>
    public const string Name = "BatchNormForward";

    /// <summary>The op type of the batch-norm forward fused with the following ReLU.</summary>
    public const string ReluName = "BatchNormReluForward";

    /// <summary>The op type of the batch-norm forward fused with a residual Add and the ReLU after it.</summary>
    public const string ResidualReluName = "BatchNormAddReluForward";

    private readonly bool _relu;
    private readonly bool _residual;

    public BatchNormForwardKernel(bool relu, bool residual = false) => (_relu, _residual) = (relu || residual, residual);

    public override string OpType => _residual ? ResidualReluName : _relu ? ReluName : Name;

    public override int Inputs => _residual ? 5 : 4;

    public override int Outputs => 4;

    /// <summary>Whether the kernel takes this batch norm's forward: a rank-3 or more input and 256-bit vectors.</summary>
    public static bool Supports(long[] xs) => xs.Length >= 3 && Vector256.IsHardwareAccelerated;

    public override unsafe void Compute(KernelContext context, long[] attributes)
    {
        var x = context.Input(0);
        var gamma = context.Input(1).Pointer;
        var beta = context.Input(2).Pointer;
        var epsilon = context.Input(3).Pointer[0];
        var residual = _residual ? context.Input(4).Pointer : null;
        var shape = x.Shape;
        var (n, channels) = ((int)shape[0], (int)shape[1]);
        var plane = (int)(x.Count / n / channels);
        var y = context.Output(0, shape).Pointer;
        var mean = context.Output(1, new long[] { channels }).Pointer;
        var invstd = context.Output(2, new long[] { channels }).Pointer;
        var variance = context.Output(3, new long[] { channels }).Pointer;
        var xp = x.Pointer;
        var count = (double)n * plane;
        context.ParallelFor(channels, c =>
        {
            double sum = 0, squares = 0;
            for (var i = 0; i < n; i++)
            {
                var (s, q) = Sums(xp + ((((long)i * channels) + c) * plane), plane);
                sum += s;
                squares += q;
            }

            var m = sum / count;
            var v = Math.Max((squares / count) - (m * m), 0);
            var inv = 1 / Math.Sqrt(v + epsilon);
            (mean[c], variance[c], invstd[c]) = ((float)m, (float)v, (float)inv);
            var a = gamma[c] * (float)inv;
            var b = beta[c] - ((float)m * a);
            for (var i = 0; i < n; i++)
            {
                var offset = (((long)i * channels) + c) * plane;
                Affine(xp + offset, residual is null ? null : residual + offset, y + offset, plane, a, b, _relu);
            }
        });
    }

    /// <summary>Σ x and Σ x² over one plane.</summary>
    private static unsafe (double Sum, double Squares) Sums(float* x, int length)
    {
        Vector256<float> s = default, q = default;
        var i = 0;
        for (; i + 8 <= length; i += 8)
        {
            var v = Vector256.Load(x + i);
            s += v;
            q = Vector256.FusedMultiplyAdd(v, v, q);
        }

        double sum = Vector256.Sum(s), squares = Vector256.Sum(q);
        for (; i < length; i++)
        {
            sum += x[i];
            squares += x[i] * x[i];
        }

        return (sum, squares);
    }

    /// <summary>y = x·a + b (+ r when given) over one plane, max(y, 0) when <paramref name="relu"/>.</summary>
    private static unsafe void Affine(float* x, float* r, float* y, int length, float a, float b, bool relu)
    {
        var (va, vb) = (Vector256.Create(a), Vector256.Create(b));
        var floor = relu ? 0f : float.NegativeInfinity;
        var vfloor = Vector256.Create(floor);
        var i = 0;
        if (r != null)
        {
            for (; i + 8 <= length; i += 8)
            {
                Vector256.Max(Vector256.FusedMultiplyAdd(Vector256.Load(x + i), va, vb) + Vector256.Load(r + i), vfloor).Store(y + i);
            }

            for (; i < length; i++)
            {
                y[i] = Math.Max((x[i] * a) + b + r[i], floor);
            }

            return;
        }

        for (; i + 8 <= length; i += 8)
        {
            Vector256.Max(Vector256.FusedMultiplyAdd(Vector256.Load(x + i), va, vb), vfloor).Store(y + i);
        }

        for (; i < length; i++)
        {
            y[i] = Math.Max((x[i] * a) + b, floor);
        }
    }
}
