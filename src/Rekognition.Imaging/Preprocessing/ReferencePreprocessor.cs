using Rekognition.Core.Models;

namespace Rekognition.Imaging.Preprocessing;

/// <summary>
/// The straightforward scalar version of <see cref="TensorPreprocessor"/>, one output value at a time with no
/// tables or vectors: the oracle the fast path is tested against and the baseline its benchmark is compared with.
/// </summary>
internal sealed class ReferencePreprocessor
{
    private readonly ModelInputSpec _spec;
    private readonly float[] _mul = new float[3];
    private readonly float[] _add = new float[3];
    private readonly int[] _sourceChannel = new int[3];

    public ReferencePreprocessor(ModelInputSpec spec)
    {
        _spec = spec;
        for (var c = 0; c < 3; c++)
        {
            // Output channel c reads colour channel rgb; (p * scale - mean) / std folded into p * mul + add.
            var rgb = spec.Bgr ? 2 - c : c;
            _sourceChannel[c] = rgb;
            _mul[c] = spec.Scale / spec.Std[rgb];
            _add[c] = -spec.Mean[rgb] / spec.Std[rgb];
        }
    }

    public int ElementsPerImage => 3 * _spec.Width * _spec.Height;

    public InputGeometry Write(ReadOnlySpan<byte> rgba, int width, int height, int rowBytes, Span<float> destination)
    {
        var region = SourceRegion.For(_spec, width, height);
        return region.IsWhole(width, height)
            ? WriteWhole(rgba, width, height, rowBytes, destination)
            : region.ToImage(WriteWhole(rgba[region.FirstByte(rowBytes)..], region.Width, region.Height, rowBytes, destination), width, height);
    }

    private InputGeometry WriteWhole(ReadOnlySpan<byte> rgba, int width, int height, int rowBytes, Span<float> destination)
    {
        var placement = Placement.For(_spec, width, height);
        var dw = _spec.Width;
        var dh = _spec.Height;
        var plane = dw * dh;
        var nchw = _spec.Layout == TensorLayout.NCHW;
        var area = _spec.Interpolation == ResizeInterpolation.Area;
        var scaleX = (float)width / placement.Width;
        var scaleY = (float)height / placement.Height;
        for (var y = 0; y < dh; y++)
        {
            var iy = y - placement.Top;
            var inY = iy >= 0 && iy < placement.Height;
            var sy = Math.Clamp((iy + 0.5f) * scaleY - 0.5f, 0f, height - 1);
            var y0 = (int)sy;
            var y1 = Math.Min(y0 + 1, height - 1);
            var fy = sy - y0;
            for (var x = 0; x < dw; x++)
            {
                var ix = x - placement.Left;
                var inside = inY && ix >= 0 && ix < placement.Width;
                for (var c = 0; c < 3; c++)
                {
                    float value;
                    var ch = _sourceChannel[c];
                    if (!inside)
                    {
                        value = _spec.PadValue * _mul[c] + _add[c];
                    }
                    else if (area)
                    {
                        value = AreaSample(rgba, rowBytes, 4, ch, ix, iy, width, height, placement,
                            (double)width / placement.Width, (double)height / placement.Height, (float)width / placement.Width, (float)height / placement.Height) * _mul[c] + _add[c];
                    }
                    else
                    {
                        var sx = Math.Clamp((ix + 0.5f) * scaleX - 0.5f, 0f, width - 1);
                        var x0 = (int)sx;
                        var x1 = Math.Min(x0 + 1, width - 1);
                        var fx = sx - x0;
                        var top = rgba[y0 * rowBytes + x0 * 4 + ch] + (rgba[y0 * rowBytes + x1 * 4 + ch] - rgba[y0 * rowBytes + x0 * 4 + ch]) * fx;
                        var bottom = rgba[y1 * rowBytes + x0 * 4 + ch] + (rgba[y1 * rowBytes + x1 * 4 + ch] - rgba[y1 * rowBytes + x0 * 4 + ch]) * fx;
                        value = (top + (bottom - top) * fy) * _mul[c] + _add[c];
                    }

                    destination[nchw ? c * plane + y * dw + x : (y * dw + x) * 3 + c] = value;
                }
            }
        }

        return placement.Geometry(width, height);
    }

    /// <summary>
    /// The YCbCr path: each plane sampled at its own size (chroma subsampled by 2^<paramref name="chromaShiftX"/> x
    /// 2^<paramref name="chromaShiftY"/>, its samples centred on the luma samples they cover), then JFIF's
    /// full-range BT.601 to RGB, clamped to 0..255, then normalized.
    /// </summary>
    public InputGeometry WriteYuv(ReadOnlySpan<byte> luma, int lumaStride, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, int chromaStride,
        int width, int height, int chromaShiftX, int chromaShiftY, Span<float> destination) =>
        WritePixels(new Source
        {
            Luma = luma, RowBytes = lumaStride, Cb = cb, Cr = cr, ChromaStride = chromaStride,
            Width = width, Height = height, ChromaShiftX = chromaShiftX, ChromaShiftY = chromaShiftY,
        }, destination);

    /// <summary>Every output value of the YCbCr path: padding outside the placed image, else the colour there, normalized.</summary>
    private InputGeometry WritePixels(Source source, Span<float> destination)
    {
        if (_spec.Resize == ResizeMode.CentreCrop)
        {
            throw new NotSupportedException("A centre-cropped input is written from RGBA, not from YCbCr planes.");
        }

        var placement = Placement.For(_spec, source.Width, source.Height);
        var dw = _spec.Width;
        var dh = _spec.Height;
        var plane = dw * dh;
        var nchw = _spec.Layout == TensorLayout.NCHW;
        Span<float> color = stackalloc float[3];
        for (var y = 0; y < dh; y++)
        {
            var iy = y - placement.Top;
            var inY = iy >= 0 && iy < placement.Height;
            for (var x = 0; x < dw; x++)
            {
                var ix = x - placement.Left;
                var inside = inY && ix >= 0 && ix < placement.Width;
                if (inside)
                {
                    ColorAt(source, ix, iy, placement, color);
                }

                for (var c = 0; c < 3; c++)
                {
                    var value = inside ? color[_sourceChannel[c]] * _mul[c] + _add[c] : _spec.PadValue * _mul[c] + _add[c];
                    destination[nchw ? c * plane + y * dw + x : (y * dw + x) * 3 + c] = value;
                }
            }
        }

        return placement.Geometry(source.Width, source.Height);
    }

    private void ColorAt(Source s, int ix, int iy, Placement placement, Span<float> color)
    {
        var yy = Sample(s.Luma, s.RowBytes, 0, ix, iy, s.Width, s.Height, placement, 0, 0);
        var cb = Sample(s.Cb, s.ChromaStride, 0, ix, iy, s.Width, s.Height, placement, s.ChromaShiftX, s.ChromaShiftY) - 128f;
        var cr = Sample(s.Cr, s.ChromaStride, 0, ix, iy, s.Width, s.Height, placement, s.ChromaShiftX, s.ChromaShiftY) - 128f;
        color[0] = Math.Clamp(yy + TensorPreprocessor.CrToR * cr, 0f, 255f);
        color[1] = Math.Clamp(yy + TensorPreprocessor.CbToG * cb + TensorPreprocessor.CrToG * cr, 0f, 255f);
        color[2] = Math.Clamp(yy + TensorPreprocessor.CbToB * cb, 0f, 255f);
    }

    /// <summary>A YCbCr image's three planes.</summary>
    private readonly ref struct Source
    {
        public ReadOnlySpan<byte> Luma { get; init; }

        public int RowBytes { get; init; }

        public ReadOnlySpan<byte> Cb { get; init; }

        public ReadOnlySpan<byte> Cr { get; init; }

        public int ChromaStride { get; init; }

        public int Width { get; init; }

        public int Height { get; init; }

        public int ChromaShiftX { get; init; }

        public int ChromaShiftY { get; init; }
    }

    /// <summary>
    /// Placed pixel (<paramref name="ix"/>, <paramref name="iy"/>) of a one-byte-per-sample plane of a
    /// <paramref name="width"/> x <paramref name="height"/> image subsampled by 2^shift (centred samples; an odd side's
    /// last sample covers a luma sample past the image, so the scale follows the image's extent), resampled.
    /// </summary>
    private float Sample(ReadOnlySpan<byte> data, int rowBytes, int channel, int ix, int iy, int width, int height, Placement placement, int shiftX, int shiftY)
    {
        var planeWidth = (width + (1 << shiftX) - 1) >> shiftX;
        var planeHeight = (height + (1 << shiftY) - 1) >> shiftY;
        var (scaleX, areaScaleX) = YuvPlan.ChromaScale(width, shiftX, placement.Width);
        var (scaleY, areaScaleY) = YuvPlan.ChromaScale(height, shiftY, placement.Height);
        if (_spec.Interpolation == ResizeInterpolation.Area)
        {
            return AreaSample(data, rowBytes, 1, channel, ix, iy, planeWidth, planeHeight, placement, areaScaleX, areaScaleY, scaleX, scaleY);
        }

        var sy = Math.Clamp((iy + 0.5f) * scaleY - 0.5f, 0f, planeHeight - 1);
        var y0 = (int)sy;
        var y1 = Math.Min(y0 + 1, planeHeight - 1);
        var fy = sy - y0;
        var sx = Math.Clamp((ix + 0.5f) * scaleX - 0.5f, 0f, planeWidth - 1);
        var x0 = (int)sx;
        var x1 = Math.Min(x0 + 1, planeWidth - 1);
        var fx = sx - x0;
        int p00 = data[y0 * rowBytes + x0 + channel], p01 = data[y0 * rowBytes + x1 + channel];
        int p10 = data[y1 * rowBytes + x0 + channel], p11 = data[y1 * rowBytes + x1 + channel];
        var top = p00 + (p01 - p00) * fx;
        var bottom = p10 + (p11 - p10) * fx;
        return top + (bottom - top) * fy;
    }

    /// <summary>Area resampling of one output pixel: the box average on a downscaled axis, bilinear on any other.</summary>
    private static float AreaSample(ReadOnlySpan<byte> data, int rowBytes, int pixelBytes, int channel, int ix, int iy, int width, int height, Placement placement,
        double areaScaleX, double areaScaleY, float scaleX, float scaleY)
    {
        Span<double> wx = stackalloc double[MaxTaps(areaScaleX)];
        Span<double> wy = stackalloc double[MaxTaps(areaScaleY)];
        var firstX = AxisWeights(ix, width, areaScaleX, scaleX, wx, out var countX);
        var firstY = AxisWeights(iy, height, areaScaleY, scaleY, wy, out var countY);
        double sum = 0;
        for (var q = 0; q < countY; q++)
        {
            for (var p = 0; p < countX; p++)
            {
                sum += wy[q] * wx[p] * data[(firstY + q) * rowBytes + (firstX + p) * pixelBytes + channel];
            }
        }

        return (float)sum;
    }

    private static int MaxTaps(double scale) => scale > 1 ? (int)scale + 3 : 2;

    /// <summary>
    /// The weights of the source pixels that output pixel <paramref name="o"/> of one axis reads: from the
    /// returned index on, <paramref name="count"/> of them.
    /// </summary>
    private static int AxisWeights(int o, int source, double areaScale, float bilinearScale, Span<double> weights, out int count)
    {
        if (areaScale > 1)
        {
            // The output pixel covers [o, o + 1) * scale of the source; each source pixel weighs its overlap.
            var scale = areaScale;
            var from = o * scale;
            var to = Math.Min((o + 1) * scale, source);
            var first = (int)from;
            count = 0;
            for (var p = first; p < to; p++)
            {
                weights[count++] = (Math.Min(p + 1, to) - Math.Max(p, from)) / scale;
            }

            return first;
        }

        var s = Math.Clamp((o + 0.5f) * bilinearScale - 0.5f, 0f, source - 1);
        var p0 = (int)s;
        var f = s - p0;
        weights[0] = 1 - f;
        weights[1] = p0 + 1 < source ? f : 0;
        count = p0 + 1 < source ? 2 : 1;
        return p0;
    }
}
