using Rekognition.Core.Images;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;

namespace Rekognition.Imaging.Preprocessing;

/// <summary>
/// Writes an RGBA image into one image's slot of a model's input tensor as the model's metadata says:
/// stretched or letterboxed to the input size or its centre cropped and stretched (bilinear with pixel centres aligned as OpenCV's INTER_LINEAR,
/// or area averaging), scaled, mean/std normalized, RGB or BGR, NCHW or NHWC. One instance per model;
/// thread-safe; allocates nothing per image once it has seen an image size.
/// </summary>
/// <remarks>
/// The resize is separable: each source row the output needs is resampled along x once (AVX2 gathers) into a
/// small per-thread row cache of float planes, and each output row blends the cached rows it needs and applies
/// the channel's scale, mean and std in the same vector pass, writing straight into the tensor. The tables
/// for one source size (which source pixels each output reads, with which weights) are built once and kept
/// for as long as images keep that size.
/// </remarks>
public sealed partial class TensorPreprocessor
{
    private readonly ModelInputSpec _spec;
    private readonly bool _allowSimd;
    private readonly float[] _mul = new float[3];
    private readonly float[] _add = new float[3];
    private readonly int[] _sourceChannel = new int[3];

    // By colour (R, G, B): the output channel that reads it, and that channel's multiplier and additive term.
    private readonly int[] _rgbChannel = new int[3];
    private readonly float[] _rgbMul = new float[3];
    private readonly float[] _rgbAdd = new float[3];
    private ResamplePlan? _lastPlan;

    // Per-thread scratch (row cache, tap offsets), grown to the largest size asked for and kept: pooled arrays
    // would be handed back to the GC when the pool trims itself, and a later image would allocate again.
    [ThreadStatic]
    private static float[]? t_floats;

    [ThreadStatic]
    private static int[]? t_ints;

    /// <summary>A preprocessor for the model input <paramref name="spec"/> describes (read once; later changes to it are not seen).</summary>
    public TensorPreprocessor(ModelInputSpec spec)
        : this(spec, allowSimd: true)
    {
    }

    /// <summary>As the public constructor; <paramref name="allowSimd"/> false forces the scalar loops (tests compare both).</summary>
    internal TensorPreprocessor(ModelInputSpec spec, bool allowSimd)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Width <= 0 || spec.Height <= 0 || spec.Mean is not { Length: 3 } || spec.Std is not { Length: 3 })
        {
            throw new ArgumentException("The input spec needs a positive size and three means and standard deviations.", nameof(spec));
        }

        if (!Enum.IsDefined(spec.Resize) || !Enum.IsDefined(spec.Layout) || !Enum.IsDefined(spec.Interpolation))
        {
            throw new ArgumentException("The input spec names an unknown resize mode, layout or interpolation.", nameof(spec));
        }

        if (spec.Resize == ResizeMode.CentreCrop && !(spec.CropFraction > 0 && spec.CropFraction <= 1))
        {
            throw new ArgumentException("A centre crop needs a crop fraction in (0, 1].", nameof(spec));
        }

        _spec = spec;
        _allowSimd = allowSimd;
        for (var c = 0; c < 3; c++)
        {
            // Output channel c reads colour channel rgb; (p * scale - mean) / std folded into p * mul + add.
            var rgb = spec.Bgr ? 2 - c : c;
            _sourceChannel[c] = rgb;
            _mul[c] = spec.Scale / spec.Std[rgb];
            _add[c] = -spec.Mean[rgb] / spec.Std[rgb];
            _rgbChannel[rgb] = c;
            _rgbMul[rgb] = _mul[c];
            _rgbAdd[rgb] = _add[c];
        }
    }

    /// <summary>The input spec this preprocessor writes for.</summary>
    public ModelInputSpec Spec => _spec;

    /// <summary>
    /// Whether <see cref="WriteEncoded"/> and the host decode a YCbCr JPEG to raw planes (decoders that are an <see cref="IYuvPlanarDecoder"/>) instead of RGBA.
    /// On by default: timed in the same process, alternating, over 8 processes with a 1080p JPEG into 224x224, the planes
    /// path was faster in 6 (by 0.1 ms at the median, about 3 %). A single run cannot tell them apart: on this kind of
    /// two-core virtual machine a process lands at random on a fast or a slow core, 3.9 against 5.0 ms for either path.
    /// </summary>
    public bool PreferYuvPlanes { get; init; } = true;

    /// <summary>Floats one image takes in the tensor (3 x height x width).</summary>
    public int ElementsPerImage => 3 * _spec.Width * _spec.Height;

    /// <summary>Writes <paramref name="image"/> into <paramref name="destination"/> (exactly <see cref="ElementsPerImage"/> floats).</summary>
    public InputGeometry Write(DecodedImage image, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Write(image.Pixels, image.Width, image.Height, image.RowBytes, destination);
    }

    /// <summary>
    /// Decodes <paramref name="encoded"/> with <paramref name="decoder"/> at the smallest scale that still covers the
    /// input size (a 1920x1080 JPEG for a 224x224 input decodes at 1/4; see <see cref="DecodeTarget"/>) and writes it into
    /// <paramref name="destination"/>; the geometry is given in the encoded image's own pixels. With a
    /// decoder that is an <see cref="IYuvPlanarDecoder"/> (libjpeg-turbo's, or one wrapping it), a YCbCr JPEG without EXIF rotation is decoded to its raw Y, Cb, Cr planes
    /// and converted to RGB here, at the input size (faster; values within about a level of the RGB decode's), unless
    /// the input is a centre crop.
    /// </summary>
    /// <exception cref="Core.Model.InvalidImageFormatException">The bytes are not a complete PNG or JPEG.</exception>
    /// <exception cref="Core.Model.ImageTooLargeException">The image has more pixels than the decoder allows.</exception>
    public InputGeometry WriteEncoded(IImageDecoder decoder, ReadOnlySpan<byte> encoded, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentOutOfRangeException.ThrowIfNotEqual(destination.Length, ElementsPerImage);
        using var image = Prepare(decoder, encoded);
        return WriteInSourcePixels(image, destination);
    }

    /// <summary>
    /// Decodes <paramref name="encoded"/> for this preprocessor at the smallest scale that covers the input size: a
    /// YCbCr JPEG as raw planes where the decoder can (libjpeg's upsampling and colour conversion are then skipped and
    /// done here at the input size), anything else as RGBA.
    /// </summary>
    /// <exception cref="Core.Model.InvalidImageFormatException">The bytes are not a complete PNG or JPEG.</exception>
    /// <exception cref="Core.Model.ImageTooLargeException">The image has more pixels than the decoder allows.</exception>
    public PreparedImage Prepare(IImageDecoder decoder, ReadOnlySpan<byte> encoded) => Prepare(decoder, encoded, null);

    /// <summary>
    /// As <see cref="Prepare(IImageDecoder, ReadOnlySpan{byte})"/>, given the header the caller already probed
    /// (<see cref="ImageHeaderProbe.Probe(ReadOnlySpan{byte})"/> of the same bytes; null: the decoder reads it).
    /// </summary>
    /// <exception cref="Core.Model.InvalidImageFormatException">The bytes are not a complete PNG or JPEG.</exception>
    /// <exception cref="Core.Model.ImageTooLargeException">The image has more pixels than the decoder allows.</exception>
    public PreparedImage Prepare(IImageDecoder decoder, ReadOnlySpan<byte> encoded, ImageInfo? header)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        // The planes path resizes whole images only: a centre crop goes through RGBA.
        var (width, height) = SourceRegion.DecodeTarget(_spec);
        if (PreferYuvPlanes && _spec.Resize != ResizeMode.CentreCrop && decoder is IYuvPlanarDecoder planar
            && (header is { } known ? planar.TryDecodeYuv(encoded, known, width, height) : planar.TryDecodeYuv(encoded, width, height)) is { } planes)
        {
            return new PreparedImage(planes);
        }

        return new PreparedImage(header is { } probed ? decoder.Decode(encoded, probed, width, height) : decoder.Decode(encoded, width, height));
    }

    /// <summary>Writes a prepared image; the geometry is given in its decoded pixels (as <see cref="Write(DecodedImage, Span{float})"/>).</summary>
    public InputGeometry Write(PreparedImage image, Span<float> destination) =>
        image.Planes is { } planes ? Write(planes, destination)
            : Write(image.Pixels ?? throw new ArgumentException("The prepared image holds nothing.", nameof(image)), destination);

    /// <summary>Writes a prepared image; the geometry is given in the encoded image's own pixels.</summary>
    public InputGeometry WriteInSourcePixels(PreparedImage image, Span<float> destination)
    {
        if (image.Planes is { } planes)
        {
            return ToSource(Write(planes, destination), planes.Width, planes.Height, planes.SourceWidth, planes.SourceHeight);
        }

        var pixels = image.Pixels ?? throw new ArgumentException("The prepared image holds nothing.", nameof(image));
        return ToSource(Write(pixels, destination), pixels.Width, pixels.Height, pixels.SourceWidth, pixels.SourceHeight);
    }

    /// <summary>The same placement measured against the full-size image: input pixels per source pixel.</summary>
    private static InputGeometry ToSource(InputGeometry placed, int width, int height, int sourceWidth, int sourceHeight) => placed with
    {
        ImageWidth = sourceWidth,
        ImageHeight = sourceHeight,
        ScaleX = placed.ScaleX * width / sourceWidth,
        ScaleY = placed.ScaleY * height / sourceHeight,
    };

    /// <summary>Writes <paramref name="image"/> into image <paramref name="slot"/> of a batch tensor (slot x <see cref="ElementsPerImage"/> floats in).</summary>
    public InputGeometry WriteToBatch(DecodedImage image, Span<float> batch, int slot)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Write(image.Pixels, image.Width, image.Height, image.RowBytes, BatchSlot(batch, slot));
    }

    /// <summary>Writes RGBA pixels into image <paramref name="slot"/> of a batch tensor (slot x <see cref="ElementsPerImage"/> floats in).</summary>
    public InputGeometry WriteToBatch(ReadOnlySpan<byte> rgba, int width, int height, int rowBytes, Span<float> batch, int slot) =>
        Write(rgba, width, height, rowBytes, BatchSlot(batch, slot));

    /// <summary>
    /// Writes RGBA pixels into <paramref name="destination"/> (exactly <see cref="ElementsPerImage"/> floats) and
    /// returns how the image was placed, to map boxes back to it.
    /// </summary>
    public InputGeometry Write(ReadOnlySpan<byte> rgba, int width, int height, int rowBytes, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowBytes, width * 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(rgba.Length, (long)rowBytes * (height - 1) + width * 4);
        ArgumentOutOfRangeException.ThrowIfNotEqual(destination.Length, ElementsPerImage);

        var region = SourceRegion.For(_spec, width, height);
        if (!region.IsWhole(width, height))
        {
            // A centre crop: the region stretched to the input, read in place through the same row stride.
            var placed = Resample(rgba[region.FirstByte(rowBytes)..], region.Width, region.Height, rowBytes, destination);
            return region.ToImage(placed, width, height);
        }

        return Resample(rgba, width, height, rowBytes, destination);
    }

    /// <summary>
    /// The smallest size a decoder should give an image for this input (a target it decodes down to while both sides
    /// still cover it): the input size, or for a centre crop input / fraction, so the crop keeps the input's resolution.
    /// </summary>
    public static (int Width, int Height) DecodeTarget(ModelInputSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return SourceRegion.DecodeTarget(spec);
    }

    /// <summary>Resizes the whole <paramref name="width"/> x <paramref name="height"/> image as the placement says (arguments checked).</summary>
    private InputGeometry Resample(ReadOnlySpan<byte> rgba, int width, int height, int rowBytes, Span<float> destination)
    {
        var plan = PlanFor(width, height);
        FillPadding(plan.Placement, destination);

        var taps = plan.Y.Taps;
        var stride = plan.X.Stride;
        var nhwc = _spec.Layout == TensorLayout.NHWC;
        // Row cache: taps slots of three planes (row r lives in slot r % taps), then three planes of NHWC scratch, then the tap weights.
        var floats = Scratch(ref t_floats, (taps * 3 + 3) * stride + taps);
        var ints = Scratch(ref t_ints, 2 * taps);
        var ring = floats.AsSpan(0, taps * 3 * stride);
        var scratch = floats.AsSpan(taps * 3 * stride, 3 * stride);
        var weights = floats.AsSpan((taps * 3 + 3) * stride, taps);
        var slotRows = ints.AsSpan(0, taps);
        var offsets = ints.AsSpan(taps, taps);
        slotRows.Fill(-1);
        for (var i = 0; i < plan.Placement.Height; i++)
        {
            FillRowCache(rgba, rowBytes, plan, i, ring, slotRows);
            WriteRow(plan, i, ring, scratch, weights, offsets, destination, nhwc);
        }

        return plan.Placement.Geometry(width, height);
    }

    private Span<float> BatchSlot(Span<float> batch, int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)(slot + 1) * ElementsPerImage, batch.Length, nameof(slot));
        return batch.Slice(slot * ElementsPerImage, ElementsPerImage);
    }

    private static T[] Scratch<T>(ref T[]? cached, int length)
    {
        if (cached is null || cached.Length < length)
        {
            cached = new T[length];
        }

        return cached;
    }

    private ResamplePlan PlanFor(int width, int height)
    {
        var plan = Volatile.Read(ref _lastPlan);
        if (plan is null || plan.SourceWidth != width || plan.SourceHeight != height)
        {
            plan = new ResamplePlan(_spec, width, height);
            Volatile.Write(ref _lastPlan, plan);
        }

        return plan;
    }

    /// <summary>Resamples along x every source row output row <paramref name="i"/> reads that the cache does not hold yet.</summary>
    private void FillRowCache(ReadOnlySpan<byte> rgba, int rowBytes, ResamplePlan plan, int i, Span<float> ring, Span<int> slotRows)
    {
        var y = plan.Y;
        var stride = plan.X.Stride;
        for (var k = 0; k < y.Taps; k++)
        {
            var row = y.Indices[k * y.Stride + i];
            var slot = row % y.Taps;
            if (slotRows[slot] == row)
            {
                continue;
            }

            // The row the next output row reads through the same tap, if it is a new one: fetched while this one is worked on.
            var nextRow = i + 1 < plan.Placement.Height ? y.Indices[k * y.Stride + i + 1] : row;
            var prefetch = nextRow != row ? rgba.Slice(nextRow * rowBytes, plan.SourceWidth * 4) : default;
            var planes = ring.Slice(slot * 3 * stride, 3 * stride);
            HorizontalPass.Run(rgba.Slice(row * rowBytes, plan.SourceWidth * 4), prefetch, plan.X, planes[..stride], planes.Slice(stride, stride), planes[(2 * stride)..], _allowSimd);
            slotRows[slot] = row;
        }
    }

    /// <summary>Blends the cached rows into output row <paramref name="i"/> of the placed image, all three channels, normalized.</summary>
    private void WriteRow(ResamplePlan plan, int i, ReadOnlySpan<float> ring, Span<float> scratch, Span<float> weights, Span<int> offsets, Span<float> destination, bool nhwc)
    {
        var y = plan.Y;
        var stride = plan.X.Stride;
        var placement = plan.Placement;
        var width = placement.Width;
        var dw = _spec.Width;
        var outputRow = placement.Top + i;
        for (var c = 0; c < 3; c++)
        {
            for (var k = 0; k < y.Taps; k++)
            {
                var at = k * y.Stride + i;
                offsets[k] = ((y.Indices[at] % y.Taps) * 3 + _sourceChannel[c]) * stride;
                weights[k] = y.Weights[at] * _mul[c];
            }

            var target = nhwc
                ? scratch.Slice(c * stride, width)
                : destination.Slice(c * dw * _spec.Height + outputRow * dw + placement.Left, width);
            VerticalPass.Blend(ring, offsets, weights, _add[c], target, _allowSimd);
        }

        if (nhwc)
        {
            var pixels = destination.Slice((outputRow * dw + placement.Left) * 3, width * 3);
            var r = scratch[..width];
            var g = scratch.Slice(stride, width);
            var b = scratch.Slice(2 * stride, width);
            for (var x = 0; x < width; x++)
            {
                pixels[3 * x] = r[x];
                pixels[3 * x + 1] = g[x];
                pixels[3 * x + 2] = b[x];
            }
        }
    }

    /// <summary>Writes the padding value around a letterboxed image (nothing for a stretched one).</summary>
    private void FillPadding(Placement placement, Span<float> destination)
    {
        var dw = _spec.Width;
        var dh = _spec.Height;
        if (placement is { Left: 0, Top: 0 } && placement.Width == dw && placement.Height == dh)
        {
            return;
        }

        Span<float> pad = stackalloc float[3];
        for (var c = 0; c < 3; c++)
        {
            pad[c] = _spec.PadValue * _mul[c] + _add[c];
        }

        var right = placement.Left + placement.Width;
        var bottom = placement.Top + placement.Height;
        if (_spec.Layout == TensorLayout.NCHW)
        {
            for (var c = 0; c < 3; c++)
            {
                var plane = destination.Slice(c * dw * dh, dw * dh);
                plane[..(placement.Top * dw)].Fill(pad[c]);
                plane[(bottom * dw)..].Fill(pad[c]);
                for (var yy = placement.Top; yy < bottom; yy++)
                {
                    plane.Slice(yy * dw, placement.Left).Fill(pad[c]);
                    plane.Slice(yy * dw + right, dw - right).Fill(pad[c]);
                }
            }

            return;
        }

        for (var yy = 0; yy < dh; yy++)
        {
            var inside = yy >= placement.Top && yy < bottom;
            for (var x = 0; x < dw; x++)
            {
                if (inside && x >= placement.Left && x < right)
                {
                    continue;
                }

                var at = (yy * dw + x) * 3;
                destination[at] = pad[0];
                destination[at + 1] = pad[1];
                destination[at + 2] = pad[2];
            }
        }
    }
}
