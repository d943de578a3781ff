using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;

namespace Rekognition.Imaging.Preprocessing;

// The YCbCr path: a JPEG's raw planes resized and converted at the input size.
public sealed partial class TensorPreprocessor
{
    // JFIF's full-range BT.601: R = Y + 1.402 Cr', G = Y - 0.344136 Cb' - 0.714136 Cr', B = Y + 1.772 Cb' (Cb' = Cb - 128).
    internal const float CrToR = 1.402f;
    internal const float CbToG = -0.344136f;
    internal const float CrToG = -0.714136f;
    internal const float CbToB = 1.772f;

    private YuvPlan? _lastYuvPlan;

    /// <summary>
    /// Writes a JPEG's raw Y, Cb, Cr planes into <paramref name="destination"/>: each plane is resized from its own
    /// size (chroma from its subsampled one), then converted to RGB, clamped to 0..255 and normalized, in one pass
    /// per output row. Matches <see cref="Write(DecodedImage, Span{float})"/> on the same JPEG decoded to RGB within
    /// the rounding of libjpeg's own chroma upsampling and colour conversion; the geometry is in decoded pixels.
    /// </summary>
    internal InputGeometry Write(YuvImage image, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNotEqual(destination.Length, ElementsPerImage);
        if (_spec.Resize == ResizeMode.CentreCrop)
        {
            throw new NotSupportedException("A centre-cropped input is written from RGBA, not from YCbCr planes.");
        }

        var plan = YuvPlanFor(image);
        var luma = plan.Luma;
        FillPadding(luma.Placement, destination);

        var stride = luma.X.Stride;
        var yTaps = luma.Y.Taps;
        var cTaps = plan.ChromaY.Taps;
        // Luma row cache (yTaps rows), chroma row cache (cTaps slots of Cb then Cr), NHWC scratch, tap weights.
        var floats = Scratch(ref t_floats, (yTaps + 2 * cTaps + 3) * stride + yTaps + cTaps);
        var ints = Scratch(ref t_ints, 2 * (yTaps + cTaps));
        var lumaRing = floats.AsSpan(0, yTaps * stride);
        var chromaRing = floats.AsSpan(yTaps * stride, 2 * cTaps * stride);
        var scratch = floats.AsSpan((yTaps + 2 * cTaps) * stride, 3 * stride);
        var lumaWeights = floats.AsSpan((yTaps + 2 * cTaps + 3) * stride, yTaps);
        var chromaWeights = floats.AsSpan((yTaps + 2 * cTaps + 3) * stride + yTaps, cTaps);
        var lumaRows = ints.AsSpan(0, yTaps);
        var chromaRows = ints.AsSpan(yTaps, cTaps);
        var lumaOffsets = ints.AsSpan(yTaps + cTaps, yTaps);
        var chromaOffsets = ints.AsSpan(2 * yTaps + cTaps, cTaps);
        lumaRows.Fill(-1);
        chromaRows.Fill(-1);

        var placement = luma.Placement;
        var nhwc = _spec.Layout == TensorLayout.NHWC;
        var dw = _spec.Width;
        var planeSize = dw * _spec.Height;
        for (var i = 0; i < placement.Height; i++)
        {
            FillPlaneCache(image.LumaAndAfter, image.LumaStride, luma.X, plan.LumaShuffle, luma.Y, i, lumaRing, stride, lumaRows);
            FillChromaCache(image, plan, i, chromaRing, stride, chromaRows);
            for (var k = 0; k < yTaps; k++)
            {
                var at = k * luma.Y.Stride + i;
                lumaOffsets[k] = (luma.Y.Indices[at] % yTaps) * stride;
                lumaWeights[k] = luma.Y.Weights[at];
            }

            for (var k = 0; k < cTaps; k++)
            {
                var at = k * plan.ChromaY.Stride + i;
                chromaOffsets[k] = (plan.ChromaY.Indices[at] % cTaps) * 2 * stride;
                chromaWeights[k] = plan.ChromaY.Weights[at];
            }

            var outputRow = placement.Top + i;
            Span<float> red, green, blue;
            if (nhwc)
            {
                red = scratch.Slice(_rgbChannel[0] * stride, placement.Width);
                green = scratch.Slice(_rgbChannel[1] * stride, placement.Width);
                blue = scratch.Slice(_rgbChannel[2] * stride, placement.Width);
            }
            else
            {
                var rowStart = outputRow * dw + placement.Left;
                red = destination.Slice(_rgbChannel[0] * planeSize + rowStart, placement.Width);
                green = destination.Slice(_rgbChannel[1] * planeSize + rowStart, placement.Width);
                blue = destination.Slice(_rgbChannel[2] * planeSize + rowStart, placement.Width);
            }

            ConvertRow(lumaRing, lumaOffsets, lumaWeights, chromaRing, chromaOffsets, chromaWeights, stride, red, green, blue);
            if (nhwc)
            {
                Interleave(scratch, stride, destination.Slice((outputRow * dw + placement.Left) * 3, placement.Width * 3));
            }
        }

        return placement.Geometry(image.Width, image.Height);
    }

    private YuvPlan YuvPlanFor(YuvImage image)
    {
        var plan = Volatile.Read(ref _lastYuvPlan);
        if (plan is null || plan.Luma.SourceWidth != image.Width || plan.Luma.SourceHeight != image.Height
            || plan.ChromaShiftX != image.ChromaShiftX || plan.ChromaShiftY != image.ChromaShiftY)
        {
            plan = new YuvPlan(_spec, image.Width, image.Height, image.ChromaShiftX, image.ChromaShiftY);
            Volatile.Write(ref _lastYuvPlan, plan);
        }

        return plan;
    }

    /// <summary>Resamples along x the rows of one plane that output row <paramref name="i"/> reads and the cache lacks.</summary>
    private void FillPlaneCache(ReadOnlySpan<byte> plane, int planeStride, ResampleAxis x, PlaneShuffle? shuffle, ResampleAxis y, int i, Span<float> ring, int stride, Span<int> slotRows)
    {
        for (var k = 0; k < y.Taps; k++)
        {
            var row = y.Indices[k * y.Stride + i];
            var slot = row % y.Taps;
            if (slotRows[slot] != row)
            {
                PlanePass.Run(plane[(row * planeStride)..], x, shuffle, ring.Slice(slot * stride, stride), _allowSimd);
                slotRows[slot] = row;
            }
        }
    }

    private void FillChromaCache(YuvImage image, YuvPlan plan, int i, Span<float> ring, int stride, Span<int> slotRows)
    {
        var y = plan.ChromaY;
        for (var k = 0; k < y.Taps; k++)
        {
            var row = y.Indices[k * y.Stride + i];
            var slot = row % y.Taps;
            if (slotRows[slot] != row)
            {
                var at = row * image.ChromaStride;
                PlanePass.Run(image.CbAndAfter[at..], plan.ChromaX, plan.ChromaShuffle, ring.Slice(slot * 2 * stride, stride), _allowSimd);
                PlanePass.Run(image.CrAndAfter[at..], plan.ChromaX, plan.ChromaShuffle, ring.Slice((slot * 2 + 1) * stride, stride), _allowSimd);
                slotRows[slot] = row;
            }
        }
    }

    /// <summary>Blends the cached rows into one output row: Y, Cb, Cr to RGB, clamped, normalized.</summary>
    private void ConvertRow(ReadOnlySpan<float> lumaRing, ReadOnlySpan<int> lumaOffsets, ReadOnlySpan<float> lumaWeights,
        ReadOnlySpan<float> chromaRing, ReadOnlySpan<int> chromaOffsets, ReadOnlySpan<float> chromaWeights, int stride,
        Span<float> red, Span<float> green, Span<float> blue)
    {
        var width = red.Length;
        var x = 0;
        float mr = _rgbMul[0], mg = _rgbMul[1], mb = _rgbMul[2], ar = _rgbAdd[0], ag = _rgbAdd[1], ab = _rgbAdd[2];
        if (_allowSimd && Vector256.IsHardwareAccelerated)
        {
            foreach (var offset in lumaOffsets)
            {
                if (offset < 0 || offset + stride > lumaRing.Length)
                {
                    throw new ArgumentException("A luma row lies outside the row cache.");
                }
            }

            foreach (var offset in chromaOffsets)
            {
                if (offset < 0 || offset + 2 * stride > chromaRing.Length)
                {
                    throw new ArgumentException("A chroma row lies outside the row cache.");
                }
            }

            var vectorWidth = width - width % Vector256<float>.Count;
            var count = vectorWidth;
            ref var l = ref MemoryMarshal.GetReference(lumaRing);
            ref var c = ref MemoryMarshal.GetReference(chromaRing);
            ref var dr = ref MemoryMarshal.GetReference(red);
            ref var dg = ref MemoryMarshal.GetReference(green);
            ref var db = ref MemoryMarshal.GetReference(blue);
            var bias = Vector256.Create(-128f);
            var zero = Vector256<float>.Zero;
            var top = Vector256.Create(255f);
            if (lumaOffsets.Length == 2 && chromaOffsets.Length == 2)
            {
                // Bilinear: both blends unrolled, every constant in a register.
                ref var l0 = ref Unsafe.Add(ref l, lumaOffsets[0]);
                ref var l1 = ref Unsafe.Add(ref l, lumaOffsets[1]);
                ref var cb0 = ref Unsafe.Add(ref c, chromaOffsets[0]);
                ref var cb1 = ref Unsafe.Add(ref c, chromaOffsets[1]);
                ref var cr0 = ref Unsafe.Add(ref cb0, stride);
                ref var cr1 = ref Unsafe.Add(ref cb1, stride);
                var wl0 = Vector256.Create(lumaWeights[0]);
                var wl1 = Vector256.Create(lumaWeights[1]);
                var wc0 = Vector256.Create(chromaWeights[0]);
                var wc1 = Vector256.Create(chromaWeights[1]);
                var crToR = Vector256.Create(CrToR);
                var cbToG = Vector256.Create(CbToG);
                var crToG = Vector256.Create(CrToG);
                var cbToB = Vector256.Create(CbToB);
                var vmr = Vector256.Create(mr);
                var vmg = Vector256.Create(mg);
                var vmb = Vector256.Create(mb);
                var vaR = Vector256.Create(ar);
                var vag = Vector256.Create(ag);
                var vab = Vector256.Create(ab);
                for (nuint v = 0; v < (nuint)count; v += (nuint)Vector256<float>.Count)
                {
                    var yy = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref l1, v), wl1, Vector256.LoadUnsafe(ref l0, v) * wl0);
                    var cb = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref cb1, v), wc1, Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref cb0, v), wc0, bias));
                    var cr = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref cr1, v), wc1, Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref cr0, v), wc0, bias));
                    var r = Vector256.Min(Vector256.Max(Vector256.FusedMultiplyAdd(cr, crToR, yy), zero), top);
                    var g = Vector256.Min(Vector256.Max(Vector256.FusedMultiplyAdd(cr, crToG, Vector256.FusedMultiplyAdd(cb, cbToG, yy)), zero), top);
                    var b = Vector256.Min(Vector256.Max(Vector256.FusedMultiplyAdd(cb, cbToB, yy), zero), top);
                    Vector256.FusedMultiplyAdd(r, vmr, vaR).StoreUnsafe(ref dr, v);
                    Vector256.FusedMultiplyAdd(g, vmg, vag).StoreUnsafe(ref dg, v);
                    Vector256.FusedMultiplyAdd(b, vmb, vab).StoreUnsafe(ref db, v);
                }

                count = 0;
            }

            for (nuint v = 0; v < (nuint)count; v += (nuint)Vector256<float>.Count)
            {
                var yy = Vector256<float>.Zero;
                for (var k = 0; k < lumaOffsets.Length; k++)
                {
                    yy = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref Unsafe.Add(ref l, lumaOffsets[k]), v), Vector256.Create(lumaWeights[k]), yy);
                }

                var cb = bias;
                var cr = bias;
                for (var k = 0; k < chromaOffsets.Length; k++)
                {
                    var w = Vector256.Create(chromaWeights[k]);
                    ref var row = ref Unsafe.Add(ref c, chromaOffsets[k]);
                    cb = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, v), w, cb);
                    cr = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref Unsafe.Add(ref row, stride), v), w, cr);
                }

                var r = Vector256.Min(Vector256.Max(Vector256.FusedMultiplyAdd(cr, Vector256.Create(CrToR), yy), zero), top);
                var g = Vector256.Min(Vector256.Max(Vector256.FusedMultiplyAdd(cr, Vector256.Create(CrToG), Vector256.FusedMultiplyAdd(cb, Vector256.Create(CbToG), yy)), zero), top);
                var b = Vector256.Min(Vector256.Max(Vector256.FusedMultiplyAdd(cb, Vector256.Create(CbToB), yy), zero), top);
                Vector256.FusedMultiplyAdd(r, Vector256.Create(mr), Vector256.Create(ar)).StoreUnsafe(ref dr, v);
                Vector256.FusedMultiplyAdd(g, Vector256.Create(mg), Vector256.Create(ag)).StoreUnsafe(ref dg, v);
                Vector256.FusedMultiplyAdd(b, Vector256.Create(mb), Vector256.Create(ab)).StoreUnsafe(ref db, v);
            }

            x = vectorWidth;
        }

        for (; x < width; x++)
        {
            float yy = 0, cb = -128f, cr = -128f;
            for (var k = 0; k < lumaOffsets.Length; k++)
            {
                yy += lumaRing[lumaOffsets[k] + x] * lumaWeights[k];
            }

            for (var k = 0; k < chromaOffsets.Length; k++)
            {
                cb += chromaRing[chromaOffsets[k] + x] * chromaWeights[k];
                cr += chromaRing[chromaOffsets[k] + stride + x] * chromaWeights[k];
            }

            red[x] = Math.Clamp(yy + CrToR * cr, 0f, 255f) * mr + ar;
            green[x] = Math.Clamp(yy + CbToG * cb + CrToG * cr, 0f, 255f) * mg + ag;
            blue[x] = Math.Clamp(yy + CbToB * cb, 0f, 255f) * mb + ab;
        }
    }

    /// <summary>Three planes of <paramref name="stride"/> floats (output channels 0, 1, 2) to interleaved pixels.</summary>
    private static void Interleave(ReadOnlySpan<float> scratch, int stride, Span<float> pixels)
    {
        var width = pixels.Length / 3;
        var c0 = scratch[..width];
        var c1 = scratch.Slice(stride, width);
        var c2 = scratch.Slice(2 * stride, width);
        for (var x = 0; x < width; x++)
        {
            pixels[3 * x] = c0[x];
            pixels[3 * x + 1] = c1[x];
            pixels[3 * x + 2] = c2[x];
        }
    }
}
