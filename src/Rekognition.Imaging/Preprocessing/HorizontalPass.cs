using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rekognition.Imaging.Preprocessing;

/// <summary>
/// Resamples one RGBA source row along x into three float planes (R, G, B), <see cref="ResampleAxis.Stride"/>
/// values each. The AVX2 path gathers eight RGBA pixels per tap with one instruction and splits the channels
/// with shifts, so each tap costs a handful of instructions for eight outputs and all three channels. Gathers
/// keep few cache misses in flight, so while it works on one row it prefetches the row asked for next.
/// </summary>
internal static class HorizontalPass
{
    /// <param name="row">The source row's RGBA bytes (at least <see cref="ResampleAxis.Source"/> pixels).</param>
    /// <param name="prefetch">Bytes the caller reads next (the next source row), or empty.</param>
    /// <param name="axis">The x axis of the resize.</param>
    /// <param name="red">The red plane, <see cref="ResampleAxis.Stride"/> values.</param>
    /// <param name="green">The green plane.</param>
    /// <param name="blue">The blue plane.</param>
    /// <param name="allowSimd">False forces the scalar loop (tests compare both).</param>
    public static void Run(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prefetch, ResampleAxis axis, Span<float> red, Span<float> green, Span<float> blue, bool allowSimd)
    {
        if (allowSimd && Avx2.IsSupported && Fma.IsSupported)
        {
            if (axis.PairedTaps)
            {
                RunPairsAvx2(row, prefetch, axis, red, green, blue);
            }
            else
            {
                RunAvx2(row, prefetch, axis, red, green, blue);
            }
        }
        else
        {
            RunScalar(row, axis, red, green, blue);
        }
    }

    private static unsafe void RunAvx2(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prefetch, ResampleAxis axis, Span<float> red, Span<float> green, Span<float> blue)
    {
        var stride = axis.Stride;
        var taps = axis.Taps;
        // The gathers read whole 4-byte pixels at indices below axis.Source; the row holds at least that many.
        if (row.Length < axis.Source * 4 || red.Length < stride || green.Length < stride || blue.Length < stride)
        {
            throw new ArgumentException("The row or the planes are shorter than the axis needs.");
        }

        var mask = Vector256.Create(0xFF);
        // Spread the next row's cache lines over the iterations, a few per eight outputs.
        var linesPerStep = (prefetch.Length + 63) / 64 / (stride / 8) + 1;
        var prefetched = 0;
        fixed (byte* pixels = row)
        fixed (byte* next = prefetch)
        fixed (int* indices = axis.Indices)
        fixed (float* weights = axis.Weights)
        fixed (float* r = red)
        fixed (float* g = green)
        fixed (float* b = blue)
        {
            for (var j = 0; j < stride; j += 8)
            {
                for (var p = 0; p < linesPerStep && prefetched < prefetch.Length; p++, prefetched += 64)
                {
                    Sse.Prefetch0(next + prefetched);
                }

                var accR = Vector256<float>.Zero;
                var accG = Vector256<float>.Zero;
                var accB = Vector256<float>.Zero;
                for (var k = 0; k < taps; k++)
                {
                    var at = k * stride + j;
                    var rgba = Avx2.GatherVector256((int*)pixels, Avx.LoadVector256(indices + at), 4);
                    var w = Avx.LoadVector256(weights + at);
                    accR = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.And(rgba, mask)), w, accR);
                    accG = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.And(Avx2.ShiftRightLogical(rgba, 8), mask)), w, accG);
                    accB = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.And(Avx2.ShiftRightLogical(rgba, 16), mask)), w, accB);
                }

                Avx.Store(r + j, accR);
                Avx.Store(g + j, accG);
                Avx.Store(b + j, accB);
            }
        }
    }

    /// <summary>
    /// Taps in pairs of neighbours (bilinear): one 8-byte gather fetches both pixels of a pair
    /// for four outputs, half the gathered elements of <see cref="RunAvx2"/>; shuffles then split them apart.
    /// </summary>
    private static unsafe void RunPairsAvx2(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prefetch, ResampleAxis axis, Span<float> red, Span<float> green, Span<float> blue)
    {
        var stride = axis.Stride;
        var taps = axis.Taps;
        // Each gather reads the 8 bytes at the first tap's pixel; the second tap is at most the row's last pixel.
        if (row.Length < axis.Source * 4 || red.Length < stride || green.Length < stride || blue.Length < stride)
        {
            throw new ArgumentException("The row or the planes are shorter than the axis needs.");
        }

        var mask = Vector256.Create(0xFF);
        var linesPerStep = (prefetch.Length + 63) / 64 / (stride / 8) + 1;
        var prefetched = 0;
        fixed (byte* pixels = row)
        fixed (byte* next = prefetch)
        fixed (int* indices = axis.Indices)
        fixed (float* weights = axis.Weights)
        fixed (float* r = red)
        fixed (float* g = green)
        fixed (float* b = blue)
        {
            for (var j = 0; j < stride; j += 8)
            {
                for (var p = 0; p < linesPerStep && prefetched < prefetch.Length; p++, prefetched += 64)
                {
                    Sse.Prefetch0(next + prefetched);
                }

                var accR = Vector256<float>.Zero;
                var accG = Vector256<float>.Zero;
                var accB = Vector256<float>.Zero;
                for (var k = 0; k < taps; k += 2)
                {
                    var at = k * stride + j;
                    var first = Avx.LoadVector256(indices + at);
                    // Ints [a0 a1 b0 b1 | c0 c1 d0 d1] and [e0 e1 f0 f1 | g0 g1 h0 h1]: outputs a..h, the pair's two pixels.
                    var low = Avx2.GatherVector256((long*)pixels, first.GetLower(), 4).AsSingle();
                    var high = Avx2.GatherVector256((long*)pixels, first.GetUpper(), 4).AsSingle();
                    // Shuffle gives [a b e f | c d g h] per pixel; the 64-bit permute puts it in order a..h.
                    var tap0 = Avx2.Permute4x64(Avx.Shuffle(low, high, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsInt32();
                    var tap1 = Avx2.Permute4x64(Avx.Shuffle(low, high, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsInt32();
                    var w0 = Avx.LoadVector256(weights + at);
                    var w1 = Avx.LoadVector256(weights + at + stride);
                    accR = Fma.MultiplyAdd(Channel(tap1, 0, mask), w1, Fma.MultiplyAdd(Channel(tap0, 0, mask), w0, accR));
                    accG = Fma.MultiplyAdd(Channel(tap1, 8, mask), w1, Fma.MultiplyAdd(Channel(tap0, 8, mask), w0, accG));
                    accB = Fma.MultiplyAdd(Channel(tap1, 16, mask), w1, Fma.MultiplyAdd(Channel(tap0, 16, mask), w0, accB));
                }

                Avx.Store(r + j, accR);
                Avx.Store(g + j, accG);
                Avx.Store(b + j, accB);
            }
        }
    }

    /// <summary>One byte of each packed RGBA pixel as floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Channel(Vector256<int> rgba, [ConstantExpected] byte shift, Vector256<int> mask) =>
        Avx.ConvertToVector256Single(Avx2.And(Avx2.ShiftRightLogical(rgba, shift), mask));

    private static void RunScalar(ReadOnlySpan<byte> row, ResampleAxis axis, Span<float> red, Span<float> green, Span<float> blue)
    {
        var stride = axis.Stride;
        var taps = axis.Taps;
        var indices = axis.Indices;
        var weights = axis.Weights;
        for (var j = 0; j < stride; j++)
        {
            float r = 0, g = 0, b = 0;
            for (var k = 0; k < taps; k++)
            {
                var at = k * stride + j;
                var p = indices[at] * 4;
                var w = weights[at];
                r += row[p] * w;
                g += row[p + 1] * w;
                b += row[p + 2] * w;
            }

            red[j] = r;
            green[j] = g;
            blue[j] = b;
        }
    }
}
