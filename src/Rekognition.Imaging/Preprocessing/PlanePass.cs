using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rekognition.Imaging.Preprocessing;

/// <summary>
/// Resamples one row of a one-byte-per-sample plane (a JPEG's Y, Cb or Cr) along x into floats,
/// <see cref="ResampleAxis.Stride"/> values. With paired (bilinear) taps the AVX2 path fetches both
/// neighbours of eight outputs with one 4-byte gather, so a plane row costs half the gathers of an RGBA row.
/// </summary>
internal static class PlanePass
{
    /// <summary>Bytes a vector pass may read past the row's last sample (a 16-byte load at its next-to-last one).</summary>
    public const int Overread = 16;

    /// <param name="rowAndAfter">The row's samples from its first, followed by at least <see cref="Overread"/> readable bytes.</param>
    /// <param name="axis">The x axis of the resize (source: the plane's width).</param>
    /// <param name="destination">The resampled row, <see cref="ResampleAxis.Stride"/> values.</param>
    /// <param name="shuffle">The axis's shuffle tables, or null to gather.</param>
    /// <param name="allowSimd">False forces the scalar loop (tests compare both).</param>
    public static void Run(ReadOnlySpan<byte> rowAndAfter, ResampleAxis axis, PlaneShuffle? shuffle, Span<float> destination, bool allowSimd)
    {
        if (rowAndAfter.Length < axis.Source + Overread || destination.Length < axis.Stride)
        {
            throw new ArgumentException("The row or the destination is shorter than the axis needs.");
        }

        if (allowSimd && Avx2.IsSupported && Fma.IsSupported)
        {
            if (shuffle is not null)
            {
                RunShuffleAvx2(rowAndAfter, axis, shuffle, destination);
            }
            else
            {
                RunAvx2(rowAndAfter, axis, destination);
            }
        }
        else
        {
            RunScalar(rowAndAfter, axis, destination);
        }
    }

    private static unsafe void RunAvx2(ReadOnlySpan<byte> row, ResampleAxis axis, Span<float> destination)
    {
        var stride = axis.Stride;
        var taps = axis.Taps;
        var paired = axis.PairedTaps;
        var mask = Vector256.Create(0xFF);
        fixed (byte* samples = row)
        fixed (int* indices = axis.Indices)
        fixed (float* weights = axis.Weights)
        fixed (float* d = destination)
        {
            for (var j = 0; j < stride; j += 8)
            {
                var acc = Vector256<float>.Zero;
                if (paired)
                {
                    for (var k = 0; k < taps; k += 2)
                    {
                        var at = k * stride + j;
                        // Four bytes from the pair's first sample: the pair is bytes 0 and 1.
                        var pair = Avx2.GatherVector256((int*)samples, Avx.LoadVector256(indices + at), 1);
                        acc = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.And(pair, mask)), Avx.LoadVector256(weights + at), acc);
                        acc = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.And(Avx2.ShiftRightLogical(pair, 8), mask)), Avx.LoadVector256(weights + at + stride), acc);
                    }
                }
                else
                {
                    for (var k = 0; k < taps; k++)
                    {
                        var at = k * stride + j;
                        var sample = Avx2.GatherVector256((int*)samples, Avx.LoadVector256(indices + at), 1);
                        acc = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.And(sample, mask)), Avx.LoadVector256(weights + at), acc);
                    }
                }

                Avx.Store(d + j, acc);
            }
        }
    }

    /// <summary>Eight outputs per step: two 16-byte windows, one shuffle, both taps widened to floats; no gathers.</summary>
    private static unsafe void RunShuffleAvx2(ReadOnlySpan<byte> row, ResampleAxis axis, PlaneShuffle shuffle, Span<float> destination)
    {
        var stride = axis.Stride;
        // Dwords [tap0 a, tap1 a, -, - | tap0 b, tap1 b, -, -] to [tap0 a, tap0 b, tap1 a, tap1 b, ...].
        var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        fixed (byte* samples = row)
        fixed (int* bases = shuffle.Bases)
        fixed (byte* masks = shuffle.Masks)
        fixed (float* weights = axis.Weights)
        fixed (float* d = destination)
        {
            for (var j = 0; j < stride; j += 8)
            {
                var g = j / 4;
                var window = Vector256.Create(Sse2.LoadVector128(samples + bases[g]), Sse2.LoadVector128(samples + bases[g + 1]));
                var picked = Avx2.PermuteVar8x32(Avx2.Shuffle(window, Avx.LoadVector256(masks + g * 16)).AsInt32(), order).GetLower().AsByte();
                var tap0 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(picked));
                var tap1 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Sse2.ShiftRightLogical128BitLane(picked, 8)));
                var acc = Avx.Multiply(tap0, Avx.LoadVector256(weights + j));
                Avx.Store(d + j, Fma.MultiplyAdd(tap1, Avx.LoadVector256(weights + stride + j), acc));
            }
        }
    }

    private static void RunScalar(ReadOnlySpan<byte> row, ResampleAxis axis, Span<float> destination)
    {
        var stride = axis.Stride;
        var taps = axis.Taps;
        var indices = axis.Indices;
        var weights = axis.Weights;
        for (var j = 0; j < stride; j++)
        {
            float acc = 0;
            for (var k = 0; k < taps; k++)
            {
                var at = k * stride + j;
                acc += row[indices[at]] * weights[at];
            }

            destination[j] = acc;
        }
    }
}
