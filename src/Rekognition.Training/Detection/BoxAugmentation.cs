using Rekognition.Core.Inference;
using Rekognition.Core.Models;

namespace Rekognition.Training.Detection;

/// <summary>Ranges of the random changes <see cref="BoxAugmentation"/> draws for each training image.</summary>
public sealed record BoxAugmentationOptions
{
    /// <summary>Smallest and largest zoom relative to the letterboxed fit (log-uniform); below 1 shrinks and pads, above 1 crops.</summary>
    public (float Min, float Max) Zoom { get; init; } = (0.6f, 1.5f);

    /// <summary>Largest stretch of one axis against the other (log-uniform in [1/a, a]).</summary>
    public float MaxAspectChange { get; init; } = 1.2f;

    /// <summary>Probability of a horizontal flip.</summary>
    public float FlipProbability { get; init; } = 0.5f;

    /// <summary>Largest brightness shift, on the 0..1 scale.</summary>
    public float Brightness { get; init; } = 0.15f;

    /// <summary>Largest relative contrast change.</summary>
    public float Contrast { get; init; } = 0.25f;

    /// <summary>Largest relative saturation change.</summary>
    public float Saturation { get; init; } = 0.3f;

    /// <summary>A box keeping less than this share of its area inside the frame is dropped.</summary>
    public float MinVisibleShare { get; init; } = 0.35f;
}

/// <summary>
/// Places an RGBA image into the detector's square input through one affine map — the letterboxed fit,
/// then a random zoom, aspect change, shift and horizontal flip when augmenting — sampled bilinearly with
/// the padding colour outside, colour-jittered, normalised and written as NCHW; the same map moves the
/// boxes, which are clipped to the frame and dropped when mostly outside it. Without augmentation it is
/// the letterbox the model package declares (centred or top-left), so training sees what inference sees.
/// A mosaic's image (<see cref="WriteTile"/>) is placed the same way into one quarter around a centre.
/// </summary>
internal sealed class BoxAugmentation
{
    private readonly ModelInputSpec _spec;
    private readonly int _size;
    private readonly float _pad;
    private readonly BoxAugmentationOptions _options;

    /// <summary>Creates the sampler for the square NCHW input <paramref name="spec"/> describes (scale, mean, deviation, channel order, letterbox).</summary>
    public BoxAugmentation(ModelInputSpec spec, BoxAugmentationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Width != spec.Height || spec.Layout != TensorLayout.NCHW)
        {
            throw new ArgumentException("Detection training needs a square NCHW input.", nameof(spec));
        }

        (_spec, _size, _pad) = (spec, spec.Width, spec.PadValue / 255f);
        _options = options ?? new BoxAugmentationOptions();
    }

    /// <summary>
    /// Writes the image (<paramref name="rgba"/>, <paramref name="width"/>×<paramref name="height"/>) into
    /// <paramref name="destination"/> [3, size, size] and its objects (boxes as ratios of the image) into
    /// <paramref name="boxes"/> in input pixels; returns how many boxes survived.
    /// </summary>
    public int Write(ReadOnlySpan<byte> rgba, int width, int height, int rowBytes, IReadOnlyList<(int Label, NormalizedBox Box)> objects,
        Span<float> destination, Span<InputBox> boxes, bool augment, Random random)
    {
        var fit = Math.Min((float)_size / width, (float)_size / height);
        var (sx, sy, flip, brightness, contrast, saturation) = augment ? Draw(random, fit) : (fit, fit, false, 0f, 1f, 1f);

        // Placement: centred without augmentation; anywhere that keeps the frame covered (or the image inside) with it.
        var (w, h) = (width * sx, height * sy);
        var centred = _spec.LetterboxTopLeft ? 0 : 1;
        var dx = augment ? Shift(random, _size, w) : (_size - w) / 2 * centred;
        var dy = augment ? Shift(random, _size, h) : (_size - h) / 2 * centred;

        // A flip mirrors the whole frame.
        var placement = new Placement(sx, sy, dx, dy, flip ? _size : float.NaN, 0, 0, _size, _size);
        Sample(rgba, width, height, rowBytes, destination, placement, brightness, contrast, saturation);
        return MoveBoxes(objects, width, height, placement, boxes);
    }

    /// <summary>Draws the point where a mosaic's four images meet: anywhere in the middle half of the frame.</summary>
    public (int X, int Y) MosaicCentre(Random random) =>
        ((int)(_size * (0.25f + (0.5f * random.NextSingle()))), (int)(_size * (0.25f + (0.5f * random.NextSingle()))));

    /// <summary>
    /// Writes one of a mosaic's four images (<paramref name="tile"/> 0: top left, 1: top right, 2: bottom left, 3: bottom
    /// right of <paramref name="centre"/>) into its quarter of <paramref name="destination"/>, randomly zoomed, stretched,
    /// flipped and colour-jittered, its corner at the centre; its boxes are clipped to that quarter and dropped when mostly
    /// outside it. Returns how many boxes it wrote into <paramref name="boxes"/>.
    /// </summary>
    public int WriteTile(int tile, (int X, int Y) centre, ReadOnlySpan<byte> rgba, int width, int height, int rowBytes,
        IReadOnlyList<(int Label, NormalizedBox Box)> objects, Span<float> destination, Span<InputBox> boxes, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)tile, 3u, nameof(tile));
        // Four images share a frame, so each is drawn at half the single image's scale.
        var (sx, sy, flip, brightness, contrast, saturation) = Draw(random, Math.Min((float)_size / width, (float)_size / height) * 0.5f);

        var (w, h) = (width * sx, height * sy);
        var (left, top) = (tile % 2 == 1, tile >= 2);
        var dx = left ? centre.X : centre.X - w;
        var dy = top ? centre.Y : centre.Y - h;
        var (x0, x1) = left ? (centre.X, _size) : (0, centre.X);
        var (y0, y1) = top ? (centre.Y, _size) : (0, centre.Y);

        // A flip mirrors the image within its own place, so it stays in its quarter.
        var placement = new Placement(sx, sy, dx, dy, flip ? (2 * dx) + w : float.NaN, x0, y0, x1, y1);
        Sample(rgba, width, height, rowBytes, destination, placement, brightness, contrast, saturation);
        return MoveBoxes(objects, width, height, placement, boxes);
    }

    // Image pixels map to the frame by scale (Sx, Sy) and offset (Dx, Dy), then, when Mirror is a number, x → Mirror − x;
    // only the region [X0, X1) × [Y0, Y1) of the frame is written.
    private readonly record struct Placement(float Sx, float Sy, float Dx, float Dy, float Mirror, int X0, int Y0, int X1, int Y1)
    {
        public bool Flipped => !float.IsNaN(Mirror);
    }

    // The objects moved by the placement, clipped to its region, dropped when too little of them (or under 2 px) is left.
    private int MoveBoxes(IReadOnlyList<(int Label, NormalizedBox Box)> objects, int width, int height, Placement p, Span<InputBox> boxes)
    {
        var kept = 0;
        foreach (var (label, box) in objects)
        {
            var x1 = (box.Left * width * p.Sx) + p.Dx;
            var x2 = ((box.Left + box.Width) * width * p.Sx) + p.Dx;
            var y1 = (box.Top * height * p.Sy) + p.Dy;
            var y2 = ((box.Top + box.Height) * height * p.Sy) + p.Dy;
            if (p.Flipped)
            {
                (x1, x2) = (p.Mirror - x2, p.Mirror - x1);
            }

            var full = (x2 - x1) * (y2 - y1);
            var (cx1, cy1, cx2, cy2) = (Math.Clamp(x1, p.X0, p.X1), Math.Clamp(y1, p.Y0, p.Y1), Math.Clamp(x2, p.X0, p.X1), Math.Clamp(y2, p.Y0, p.Y1));
            var visible = (cx2 - cx1) * (cy2 - cy1);
            if (full <= 0 || cx2 - cx1 < 2 || cy2 - cy1 < 2 || visible < _options.MinVisibleShare * full || kept == boxes.Length)
            {
                continue;
            }

            boxes[kept++] = new InputBox(label, cx1, cy1, cx2, cy2);
        }

        return kept;
    }

    // One image's random zoom and stretch (scales from the fit), flip and colour jitter, in this order of draws.
    private (float Sx, float Sy, bool Flip, float Brightness, float Contrast, float Saturation) Draw(Random random, float fit)
    {
        var o = _options;
        var zoom = LogUniform(random, o.Zoom.Min, o.Zoom.Max);
        var aspect = LogUniform(random, 1 / o.MaxAspectChange, o.MaxAspectChange);
        var flip = random.NextSingle() < o.FlipProbability;
        var brightness = (random.NextSingle() * 2 - 1) * o.Brightness;
        var contrast = 1 + ((random.NextSingle() * 2 - 1) * o.Contrast);
        var saturation = 1 + ((random.NextSingle() * 2 - 1) * o.Saturation);
        return (fit * zoom * MathF.Sqrt(aspect), fit * zoom / MathF.Sqrt(aspect), flip, brightness, contrast, saturation);
    }

    private static float LogUniform(Random random, float min, float max) =>
        MathF.Exp(MathF.Log(min) + (random.NextSingle() * (MathF.Log(max) - MathF.Log(min))));

    // Offset of a span of length `placed` within `size`: anywhere from flush-left to flush-right.
    private static float Shift(Random random, int size, float placed) =>
        Math.Min(0, size - placed) + (random.NextSingle() * Math.Abs(size - placed));

    private void Sample(ReadOnlySpan<byte> rgba, int width, int height, int rowBytes, Span<float> destination,
        Placement p, float brightness, float contrast, float saturation)
    {
        var plane = _size * _size;
        if (destination.Length != 3 * plane)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; {3 * plane} were expected.", nameof(destination));
        }

        // Colour jitter (on the 0..1 scale) and the input's scale, mean and deviation folded into one affine map per
        // channel after the saturation blend; planes in the input's channel order.
        Span<float> gain = stackalloc float[3];
        Span<float> offset = stackalloc float[3];
        Span<float> padded = stackalloc float[3];
        var range = 255f * _spec.Scale;
        for (var c = 0; c < 3; c++)
        {
            var (mean, std) = (_spec.Mean[c], _spec.Std[c]);
            gain[c] = contrast * _spec.Scale / std;
            offset[c] = ((((0.5f * (1 - contrast)) + brightness) * range) - mean) / std;
            padded[c] = ((((((_pad - 0.5f) * contrast) + 0.5f + brightness)) * range) - mean) / std;
        }

        var (red, blue) = _spec.Bgr ? (2 * plane, 0) : (0, 2 * plane);

        var (sx, sy, dx, dy) = (p.Sx, p.Sy, p.Dx, p.Dy);
        for (var v = p.Y0; v < p.Y1; v++)
        {
            var syf = ((v + 0.5f - dy) / sy) - 0.5f;
            var inY = syf > -1 && syf < height;
            var y0 = (int)MathF.Floor(syf);
            var fy = syf - y0;
            var (ya, yb) = (Math.Clamp(y0, 0, height - 1), Math.Clamp(y0 + 1, 0, height - 1));
            var rowA = rgba.Slice(ya * rowBytes, width * 4);
            var rowB = rgba.Slice(yb * rowBytes, width * 4);
            for (var u = p.X0; u < p.X1; u++)
            {
                var o = (v * _size) + u;
                var xo = p.Flipped ? p.Mirror - (u + 0.5f) : u + 0.5f;
                var sxf = ((xo - dx) / sx) - 0.5f;
                if (!inY || sxf <= -1 || sxf >= width)
                {
                    destination[red + o] = padded[0];
                    destination[plane + o] = padded[1];
                    destination[blue + o] = padded[2];
                    continue;
                }

                var x0 = (int)MathF.Floor(sxf);
                var fx = sxf - x0;
                var (xa, xb) = (Math.Clamp(x0, 0, width - 1) * 4, Math.Clamp(x0 + 1, 0, width - 1) * 4);
                float r = Blend(rowA, rowB, xa, xb, fx, fy), g = Blend(rowA, rowB, xa + 1, xb + 1, fx, fy), b = Blend(rowA, rowB, xa + 2, xb + 2, fx, fy);
                if (saturation != 1)
                {
                    var grey = (0.299f * r) + (0.587f * g) + (0.114f * b);
                    r = grey + ((r - grey) * saturation);
                    g = grey + ((g - grey) * saturation);
                    b = grey + ((b - grey) * saturation);
                }

                destination[red + o] = (r * gain[0]) + offset[0];
                destination[plane + o] = (g * gain[1]) + offset[1];
                destination[blue + o] = (b * gain[2]) + offset[2];
            }
        }
    }

    private static float Blend(ReadOnlySpan<byte> rowA, ReadOnlySpan<byte> rowB, int a, int b, float fx, float fy)
    {
        var top = rowA[a] + ((rowA[b] - rowA[a]) * fx);
        var bottom = rowB[a] + ((rowB[b] - rowB[a]) * fx);
        return top + ((bottom - top) * fy);
    }
}
