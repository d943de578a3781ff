using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Rekognition.Imaging.Preprocessing;

/// <summary>
/// Blends horizontally resampled rows into one output row of one channel and normalizes it in the same
/// pass: <c>destination[x] = add + sum over taps of weight[k] * rows[k][x]</c>, where the weights already
/// carry the channel's scale / std and <c>add</c> is its -mean / std.
/// </summary>
internal static class VerticalPass
{
    /// <param name="ring">The row cache; tap <c>k</c> reads <c>ring[offsets[k] ..]</c>.</param>
    /// <param name="offsets">Where each tap's row (this channel's plane) starts in <paramref name="ring"/>.</param>
    /// <param name="weights">Each tap's weight times the channel's multiplier.</param>
    /// <param name="add">The channel's additive term.</param>
    /// <param name="destination">The output row, as many values as the placed width.</param>
    /// <param name="allowSimd">False forces the scalar loop (tests compare both).</param>
    public static void Blend(ReadOnlySpan<float> ring, ReadOnlySpan<int> offsets, ReadOnlySpan<float> weights, float add, Span<float> destination, bool allowSimd)
    {
        var x = 0;
        if (allowSimd && Vector256.IsHardwareAccelerated)
        {
            x = offsets.Length == 2
                ? BlendTwoVector(ring.Slice(offsets[0]), ring.Slice(offsets[1]), weights[0], weights[1], add, destination)
                : BlendVector(ring, offsets, weights, add, destination);
        }

        for (; x < destination.Length; x++)
        {
            var acc = add;
            for (var k = 0; k < offsets.Length; k++)
            {
                acc += ring[offsets[k] + x] * weights[k];
            }

            destination[x] = acc;
        }
    }

    /// <summary>The bilinear case; returns how many values it wrote (whole vectors only).</summary>
    private static int BlendTwoVector(ReadOnlySpan<float> row0, ReadOnlySpan<float> row1, float weight0, float weight1, float add, Span<float> destination)
    {
        var count = destination.Length - destination.Length % Vector256<float>.Count;
        if (row0.Length < count || row1.Length < count)
        {
            throw new ArgumentException("A row is shorter than the destination.");
        }

        // Bounds checked once above; the loop reads and writes by reference.
        ref var r0 = ref MemoryMarshal.GetReference(row0);
        ref var r1 = ref MemoryMarshal.GetReference(row1);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var w0 = Vector256.Create(weight0);
        var w1 = Vector256.Create(weight1);
        var a = Vector256.Create(add);
        for (nuint x = 0; x < (nuint)count; x += (nuint)Vector256<float>.Count)
        {
            var v = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r0, x), w0, a);
            Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r1, x), w1, v).StoreUnsafe(ref d, x);
        }

        return count;
    }

    private static int BlendVector(ReadOnlySpan<float> ring, ReadOnlySpan<int> offsets, ReadOnlySpan<float> weights, float add, Span<float> destination)
    {
        var count = destination.Length - destination.Length % Vector256<float>.Count;
        foreach (var offset in offsets)
        {
            if (offset < 0 || offset + count > ring.Length)
            {
                throw new ArgumentException("A row lies outside the row cache.");
            }
        }

        ref var r = ref MemoryMarshal.GetReference(ring);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var a = Vector256.Create(add);
        for (nuint x = 0; x < (nuint)count; x += (nuint)Vector256<float>.Count)
        {
            var v = a;
            for (var k = 0; k < offsets.Length; k++)
            {
                v = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref Unsafe.Add(ref r, offsets[k]), x), Vector256.Create(weights[k]), v);
            }

            v.StoreUnsafe(ref d, x);
        }

        return count;
    }
}
