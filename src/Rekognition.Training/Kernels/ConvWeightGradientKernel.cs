using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Rekognition.Training.Kernels;

/// <summary>
/// The weight gradient of a 2-D convolution (one group, no dilation, a 3×3 kernel, equal strides 1 or 2) as an
/// implicit GEMM: dW[co, ci, i, j] = Σ over images and output positions of dY[co, pos] · X[ci, pos shifted by (i, j)],
/// without the 9× im2col of the standard-op formulation.
/// </summary>
/// <remarks>
/// <para>
/// Each image's planes are copied once into cache-sized buffers laid out so that every tap is a plain shift of one
/// flat array: the input split into stride² phase planes padded with zeros, dY with its rows widened to the phase
/// planes' width (zeros in the extra columns, so a shifted read that wraps into the next row adds nothing). The inner
/// loop then runs over one contiguous range with unaligned vector loads, two output channels × nine taps of
/// accumulators held in registers across a group of images (AVX-512; one output channel with 256-bit vectors), FMA throughout.
/// </para>
/// <para>
/// The batch is split into chunks run on the session's intra-op threads, each summing into its own copy of dW
/// (so no two threads write the same element); the copies are added at the end. Every buffer is rented from the
/// shared array pool, so a training step allocates none of them.
/// </para>
/// <para>
/// 1×1 kernels stay with the standard ops: their columns are the input itself (no im2col to save) and ONNX Runtime's
/// GEMM took about half the time of this kernel's dot products at the ResNet's shortcut shape (training-kernels runner).
/// </para>
/// Inputs: x [N, Cin, H, W], dY [N, Cout, Ho, Wo]. Attributes: kernel (3), stride (1 or 2), pad_top, pad_left.
/// Output: dW [Cout, Cin, k, k].
/// </remarks>
internal sealed class ConvWeightGradientKernel : CustomKernel
{
    /// <summary>The op type in <see cref="TrainingKernels.Domain"/>.</summary>
    public const string Name = "ConvWeightGrad";

    private const int MaxChunks = 4;

    // dY rows of an image group kept together (each input channel streams them once): half of a 1 MB L2.
    private const int GroupBytes = 512 * 1024;

    public override string OpType => Name;

    public override int Inputs => 2;

    public override int Outputs => 1;

    public override IReadOnlyList<string> IntAttributes { get; } = new[] { "kernel", "stride", "pad_top", "pad_left" };

    /// <summary>Whether the kernel computes this convolution's weight gradient (otherwise the standard ops do).</summary>
    public static bool Supports(long[] kernel, long[] strides, long[] dilations, long group, long[] xs, long[] ys) =>
        group == 1 && xs.Length == 4 && ys.Length == 4
        && kernel.Length == 2 && kernel[0] == 3 && kernel[1] == 3
        && strides.Length == 2 && strides[0] == strides[1] && (strides[0] == 1 || strides[0] == 2)
        && dilations.All(d => d == 1)
        && (Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated);

    public override unsafe void Compute(KernelContext context, long[] attributes)
    {
        var x = context.Input(0);
        var dy = context.Input(1);
        var geometry = new Geometry(x.Shape, dy.Shape, (int)attributes[0], (int)attributes[1], (int)attributes[2], (int)attributes[3]);
        var dw = context.Output(0, new long[] { geometry.Cout, geometry.Cin, geometry.K, geometry.K });
        var size = geometry.Cout * geometry.Cin * geometry.Taps;
        var chunks = Math.Min(geometry.N, MaxChunks);
        var offsets = geometry.TapOffsets();
        // The per-chunk sums are rented (up to Cout·Cin·9 floats each, megabytes at the ResNet's widths), not allocated per call.
        var partials = ArrayPool<float[]>.Shared.Rent(chunks);
        try
        {
            context.ParallelFor(chunks, chunk =>
            {
                var partial = ArrayPool<float>.Shared.Rent(size);
                partials[chunk] = partial;
                Array.Clear(partial, 0, size);
                var first = geometry.N * chunk / chunks;
                var last = geometry.N * (chunk + 1) / chunks;
                RunChunk(geometry, x.Pointer, dy.Pointer, first, last, offsets, partial);
            });

            var output = new Span<float>(dw.Pointer, size);
            partials[0].AsSpan(0, size).CopyTo(output);
            for (var c = 1; c < chunks; c++)
            {
                TensorPrimitives.Add(output, partials[c].AsSpan(0, size), output);
            }
        }
        finally
        {
            for (var c = 0; c < chunks; c++)
            {
                if (partials[c] is { } partial)
                {
                    ArrayPool<float>.Shared.Return(partial);
                }
            }

            ArrayPool<float[]>.Shared.Return(partials, clearArray: true);
        }
    }

    /// <summary>Sums images [first, last) into <paramref name="partial"/> [Cout, Cin, taps].</summary>
    private static unsafe void RunChunk(Geometry g, float* x, float* dy, int first, int last, int[] offsets, float[] partial)
    {
        // Images are laid out a group at a time so the accumulators run over the whole group before their horizontal sums:
        // at 16×16 a row is 18 vector steps, and summing 18 registers after each image cost about as much again.
        var (dImage, xImage) = (g.Cout * g.FlatLength, g.Cin * g.Phases * g.PlaneLength);
        var group = Math.Clamp(GroupBytes / (dImage * sizeof(float)), 1, last - first);
        var dBuffer = ArrayPool<float>.Shared.Rent(group * dImage);
        var xBuffer = ArrayPool<float>.Shared.Rent(group * xImage);
        try
        {
            fixed (float* d = dBuffer, xp = xBuffer, sums = partial)
            fixed (int* tapOffsets = offsets)
            {
                for (var n = first; n < last; n += group)
                {
                    var count = Math.Min(group, last - n);
                    for (var m = 0; m < count; m++)
                    {
                        FillGradientRows(g, dy + ((long)(n + m) * g.Cout * g.Ho * g.Wo), d + ((long)m * dImage));
                        FillPhasePlanes(g, x + ((long)(n + m) * g.Cin * g.H * g.W), xp + ((long)m * xImage));
                    }

                    var images = new Images(count, dImage, xImage);
                    for (var ci = 0; ci < g.Cin; ci++)
                    {
                        var planes = xp + ((long)ci * g.Phases * g.PlaneLength);
                        var co = 0;
                        if (Vector512.IsHardwareAccelerated)
                        {
                            for (; co + 2 <= g.Cout; co += 2)
                            {
                                Taps9Rows2(d + ((long)co * g.FlatLength), g.FlatLength, planes, tapOffsets, g.FlatLength, images,
                                    sums + ((((long)co * g.Cin) + ci) * 9), sums + ((((long)(co + 1) * g.Cin) + ci) * 9));
                            }
                        }

                        for (; co < g.Cout; co++)
                        {
                            Taps9Row1(d + ((long)co * g.FlatLength), planes, tapOffsets, g.FlatLength, images, sums + ((((long)co * g.Cin) + ci) * 9));
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(dBuffer);
            ArrayPool<float>.Shared.Return(xBuffer);
        }
    }

    /// <summary>Two output channels' rows against nine tap shifts, over a group of images: 18 AVX-512 accumulators.</summary>
    private static unsafe void Taps9Rows2(float* d0, int rowStride, float* planes, int* off, int length, Images images, float* sums0, float* sums1)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default, a8 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default, b8 = default;
        for (var m = 0; m < images.Count; m++, d0 += images.GradientStride, planes += images.InputStride)
        {
            var d1 = d0 + rowStride;
            float* p0 = planes + off[0], p1 = planes + off[1], p2 = planes + off[2], p3 = planes + off[3], p4 = planes + off[4],
                p5 = planes + off[5], p6 = planes + off[6], p7 = planes + off[7], p8 = planes + off[8];
            for (var q = 0; q < length; q += 16)
            {
                var r0 = Vector512.Load(d0 + q);
                var r1 = Vector512.Load(d1 + q);
                var v = Vector512.Load(p0 + q);
                a0 = Vector512.FusedMultiplyAdd(r0, v, a0);
                b0 = Vector512.FusedMultiplyAdd(r1, v, b0);
                v = Vector512.Load(p1 + q);
                a1 = Vector512.FusedMultiplyAdd(r0, v, a1);
                b1 = Vector512.FusedMultiplyAdd(r1, v, b1);
                v = Vector512.Load(p2 + q);
                a2 = Vector512.FusedMultiplyAdd(r0, v, a2);
                b2 = Vector512.FusedMultiplyAdd(r1, v, b2);
                v = Vector512.Load(p3 + q);
                a3 = Vector512.FusedMultiplyAdd(r0, v, a3);
                b3 = Vector512.FusedMultiplyAdd(r1, v, b3);
                v = Vector512.Load(p4 + q);
                a4 = Vector512.FusedMultiplyAdd(r0, v, a4);
                b4 = Vector512.FusedMultiplyAdd(r1, v, b4);
                v = Vector512.Load(p5 + q);
                a5 = Vector512.FusedMultiplyAdd(r0, v, a5);
                b5 = Vector512.FusedMultiplyAdd(r1, v, b5);
                v = Vector512.Load(p6 + q);
                a6 = Vector512.FusedMultiplyAdd(r0, v, a6);
                b6 = Vector512.FusedMultiplyAdd(r1, v, b6);
                v = Vector512.Load(p7 + q);
                a7 = Vector512.FusedMultiplyAdd(r0, v, a7);
                b7 = Vector512.FusedMultiplyAdd(r1, v, b7);
                v = Vector512.Load(p8 + q);
                a8 = Vector512.FusedMultiplyAdd(r0, v, a8);
                b8 = Vector512.FusedMultiplyAdd(r1, v, b8);
            }
        }

        AddSums(sums0, a0, a1, a2, a3, a4, a5, a6, a7, a8);
        AddSums(sums1, b0, b1, b2, b3, b4, b5, b6, b7, b8);
    }

    /// <summary>One output channel's row against nine tap shifts, over a group of images: nine 256-bit accumulators.</summary>
    private static unsafe void Taps9Row1(float* d0, float* planes, int* off, int length, Images images, float* sums)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default, a8 = default;
        for (var m = 0; m < images.Count; m++, d0 += images.GradientStride, planes += images.InputStride)
        {
            float* p0 = planes + off[0], p1 = planes + off[1], p2 = planes + off[2], p3 = planes + off[3], p4 = planes + off[4],
                p5 = planes + off[5], p6 = planes + off[6], p7 = planes + off[7], p8 = planes + off[8];
            for (var q = 0; q < length; q += 8)
            {
                var r0 = Vector256.Load(d0 + q);
                a0 = Vector256.FusedMultiplyAdd(r0, Vector256.Load(p0 + q), a0);
                a1 = Vector256.FusedMultiplyAdd(r0, Vector256.Load(p1 + q), a1);
                a2 = Vector256.FusedMultiplyAdd(r0, Vector256.Load(p2 + q), a2);
                a3 = Vector256.FusedMultiplyAdd(r0, Vector256.Load(p3 + q), a3);
                a4 = Vector256.FusedMultiplyAdd(r0, Vector256.Load(p4 + q), a4);
                a5 = Vector256.FusedMultiplyAdd(r0, Vector256.Load(p5 + q), a5);
                a6 = Vector256.FusedMultiplyAdd(r0, Vector256.Load(p6 + q), a6);
                a7 = Vector256.FusedMultiplyAdd(r0, Vector256.Load(p7 + q), a7);
                a8 = Vector256.FusedMultiplyAdd(r0, Vector256.Load(p8 + q), a8);
            }
        }

        // Widened with zero upper halves: the sums are once per group, not in the loop.
        var zero = Vector256<float>.Zero;
        AddSums(sums, Vector512.Create(a0, zero), Vector512.Create(a1, zero), Vector512.Create(a2, zero), Vector512.Create(a3, zero), Vector512.Create(a4, zero),
            Vector512.Create(a5, zero), Vector512.Create(a6, zero), Vector512.Create(a7, zero), Vector512.Create(a8, zero));
    }

    /// <summary>Adds each tap's accumulator, summed across its lanes, to that tap's sum.</summary>
    private static unsafe void AddSums(float* sums, Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3, Vector512<float> a4,
        Vector512<float> a5, Vector512<float> a6, Vector512<float> a7, Vector512<float> a8)
    {
        sums[0] += Vector512.Sum(a0);
        sums[1] += Vector512.Sum(a1);
        sums[2] += Vector512.Sum(a2);
        sums[3] += Vector512.Sum(a3);
        sums[4] += Vector512.Sum(a4);
        sums[5] += Vector512.Sum(a5);
        sums[6] += Vector512.Sum(a6);
        sums[7] += Vector512.Sum(a7);
        sums[8] += Vector512.Sum(a8);
    }

    /// <summary>dY's planes of one image with rows widened to the phase planes' width, zero-filled past each row and the end.</summary>
    private static unsafe void FillGradientRows(Geometry g, float* dy, float* d)
    {
        for (var co = 0; co < g.Cout; co++)
        {
            var source = dy + ((long)co * g.Ho * g.Wo);
            var target = new Span<float>(d + ((long)co * g.FlatLength), g.FlatLength);
            target.Clear();
            for (var oy = 0; oy < g.Ho; oy++)
            {
                new ReadOnlySpan<float>(source + (oy * g.Wo), g.Wo).CopyTo(target.Slice(oy * g.Wq, g.Wo));
            }
        }
    }

    /// <summary>One image's input as stride² zero-padded phase planes per channel: plane (a, b)[u, v] = x[s·u + a − pad_top, s·v + b − pad_left].</summary>
    private static unsafe void FillPhasePlanes(Geometry g, float* x, float* planes)
    {
        for (var ci = 0; ci < g.Cin; ci++)
        {
            var source = x + ((long)ci * g.H * g.W);
            for (var a = 0; a < g.S; a++)
            {
                for (var b = 0; b < g.S; b++)
                {
                    var plane = new Span<float>(planes + ((((long)ci * g.Phases) + (a * g.S) + b) * g.PlaneLength), g.PlaneLength);
                    plane.Clear();
                    for (var u = 0; u < g.Hq; u++)
                    {
                        var row = (g.S * u) + a - g.PadTop;
                        if (row < 0 || row >= g.H)
                        {
                            continue;
                        }

                        var sourceRow = source + ((long)row * g.W);
                        var targetRow = plane.Slice(u * g.Wq, g.Wq);
                        for (var v = 0; v < g.Wq; v++)
                        {
                            var column = (g.S * v) + b - g.PadLeft;
                            if (column >= 0 && column < g.W)
                            {
                                targetRow[v] = sourceRow[column];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>A group of images laid out one after another: how many, and the distance between two images' dY and input buffers.</summary>
    private readonly record struct Images(int Count, int GradientStride, int InputStride);

    /// <summary>Sizes of one convolution's buffers.</summary>
    private readonly record struct Geometry
    {
        public Geometry(long[] xs, long[] ys, int k, int s, int padTop, int padLeft)
        {
            if (xs.Length != 4 || ys.Length != 4 || xs[0] != ys[0])
            {
                throw new ArgumentException("ConvWeightGrad needs x [N, Cin, H, W] and dY [N, Cout, Ho, Wo] of the same batch.");
            }

            (N, Cin, H, W) = ((int)xs[0], (int)xs[1], (int)xs[2], (int)xs[3]);
            (Cout, Ho, Wo) = ((int)ys[1], (int)ys[2], (int)ys[3]);
            (K, S, PadTop, PadLeft) = (k, s, padTop, padLeft);
            var reach = (k - 1) / s;
            Wq = Wo + reach;
            Hq = Ho + reach + 1;
            const int vector = 16;
            FlatLength = ((Ho * Wq) + vector - 1) / vector * vector;
            PlaneLength = Math.Max(Hq * Wq, (reach * Wq) + reach + FlatLength);
        }

        public int N { get; }

        public int Cin { get; }

        public int H { get; }

        public int W { get; }

        public int Cout { get; }

        public int Ho { get; }

        public int Wo { get; }

        public int K { get; }

        public int S { get; }

        public int PadTop { get; }

        public int PadLeft { get; }

        /// <summary>Width of the phase planes and of dY's widened rows.</summary>
        public int Wq { get; }

        /// <summary>Rows of a phase plane (one spare so the widest shift stays inside).</summary>
        public int Hq { get; }

        /// <summary>Length of dY's widened plane, a whole number of 512-bit vectors.</summary>
        public int FlatLength { get; }

        /// <summary>Length of one phase plane: every shifted read of FlatLength stays inside.</summary>
        public int PlaneLength { get; }

        public int Phases => S * S;

        public int Taps => K * K;

        /// <summary>Where tap (i, j) starts, from the channel's first phase plane.</summary>
        public int[] TapOffsets()
        {
            var offsets = new int[Taps];
            for (var i = 0; i < K; i++)
            {
                for (var j = 0; j < K; j++)
                {
                    var phase = ((i % S) * S) + (j % S);
                    offsets[(i * K) + j] = (phase * PlaneLength) + ((i / S) * Wq) + (j / S);
                }
            }

            return offsets;
        }
    }
}
