using System.Buffers;
using System.Runtime.Intrinsics;

namespace Rekognition.Training.Kernels;

/// <summary>
/// im2col written straight in the layout a convolution run as one GEMM over the batch needs: columns
/// [Cin·kh·kw, N·Ho·Wo], row (ci, i, j) holding, image after image, x[n, ci, oy·s − pad_top + i, ox·s − pad_left + j]
/// (zero outside the input). The standard ops take a one-hot Conv to [N·Cin, kh·kw, Ho, Wo] and then a Transpose of
/// the whole 9× tensor to bring the batch next to the positions: two passes that write it, where this takes one.
/// Input channels run in parallel on the session's intra-op threads.
/// </summary>
/// <remarks>
/// Input: x [N, Cin, H, W]. Attributes: kernel_h, kernel_w, stride_h, stride_w, pad_top, pad_left, out_h, out_w.
/// Output: columns [Cin·kh·kw, N·out_h·out_w].
/// </remarks>
internal sealed class ColumnsKernel : CustomKernel
{
    /// <summary>The op type in <see cref="TrainingKernels.Domain"/>.</summary>
    public const string Name = "Columns";

    public override string OpType => Name;

    public override int Inputs => 1;

    public override int Outputs => 1;

    public override IReadOnlyList<string> IntAttributes { get; } = new[] { "kernel_h", "kernel_w", "stride_h", "stride_w", "pad_top", "pad_left", "out_h", "out_w" };

    /// <summary>Whether the kernel writes these columns: a 2-D input, no dilation.</summary>
    public static bool Supports(long[] xs, long[] dilations) => xs.Length == 4 && dilations.All(d => d == 1);

    public override unsafe void Compute(KernelContext context, long[] attributes)
    {
        var x = context.Input(0);
        var (n, cin, height, width) = ((int)x.Shape[0], (int)x.Shape[1], (int)x.Shape[2], (int)x.Shape[3]);
        var g = new Geometry((int)attributes[0], (int)attributes[1], (int)attributes[2], (int)attributes[3], (int)attributes[4], (int)attributes[5], (int)attributes[6], (int)attributes[7]);
        var positions = g.OutH * g.OutW;
        var columns = context.Output(0, new long[] { (long)cin * g.KernelH * g.KernelW, (long)n * positions }).Pointer;
        var xp = x.Pointer;
        var (paddedH, paddedW) = (((g.OutH - 1) * g.StrideH) + g.KernelH, ((g.OutW - 1) * g.StrideW) + g.KernelW);
        context.ParallelFor(cin, ci =>
        {
            // One zero-padded copy of each (image, channel) plane, cache-sized and rented (no allocation per call), from
            // which every tap's rows are plain strided reads without bounds checks.
            var buffer = ArrayPool<float>.Shared.Rent(paddedH * paddedW);
            try
            {
                fixed (float* padded = buffer)
                {
                    for (var image = 0; image < n; image++)
                    {
                        Pad(xp + ((((long)image * cin) + ci) * height * width), height, width, padded, paddedH, paddedW, g.PadTop, g.PadLeft);
                        for (var tap = 0; tap < g.KernelH * g.KernelW; tap++)
                        {
                            var (i, j) = Math.DivRem(tap, g.KernelW);
                            var row = columns + ((((long)ci * g.KernelH * g.KernelW) + tap) * n * positions) + ((long)image * positions);
                            Gather(padded + (i * paddedW) + j, paddedW, row, g);
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(buffer);
            }
        });
    }

    /// <summary>padded[py, px] = plane[py − top, px − left], zero outside the plane.</summary>
    private static unsafe void Pad(float* plane, int height, int width, float* padded, int paddedH, int paddedW, int top, int left)
    {
        new Span<float>(padded, paddedH * paddedW).Clear();
        var (firstX, endX) = (Math.Max(0, left), Math.Min(paddedW, width + left));
        if (endX <= firstX)
        {
            return;
        }

        for (var py = Math.Max(0, top); py < Math.Min(paddedH, height + top); py++)
        {
            new ReadOnlySpan<float>(plane + ((long)(py - top) * width) + firstX - left, endX - firstX).CopyTo(new Span<float>(padded + (py * paddedW) + firstX, endX - firstX));
        }
    }

    /// <summary>One tap's row of the columns: target[oy·Wo + ox] = source[oy·s_h·W' + ox·s_w], source already shifted to the tap.</summary>
    private static unsafe void Gather(float* source, int paddedW, float* target, Geometry g)
    {
        for (var oy = 0; oy < g.OutH; oy++, target += g.OutW)
        {
            var line = source + (oy * g.StrideH * paddedW);
            var ox = 0;
            if (g.StrideW == 1)
            {
                for (; ox + 8 <= g.OutW; ox += 8)
                {
                    Vector256.Load(line + ox).Store(target + ox);
                }
            }

            for (; ox < g.OutW; ox++)
            {
                target[ox] = line[ox * g.StrideW];
            }
        }
    }

    private readonly record struct Geometry(int KernelH, int KernelW, int StrideH, int StrideW, int PadTop, int PadLeft, int OutH, int OutW);
}
