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
        var o = _options;
        var fit = Math.Min((float)_size / width, (float)_size / height);
        float sx = fit, sy = fit;
        bool flip = false;
        float brightness = 0, contrast = 1, saturation = 1;
        if (augment)
        {
            var zoom = LogUniform(random, o.Zoom.Min, o.Zoom.Max);
            var aspect = LogUniform(random, 1 / o.MaxAspectChange, o.MaxAspectChange);
            sx = fit * zoom * MathF.Sqrt(aspect);
            sy = fit * zoom / MathF.Sqrt(aspect);
            flip = random.NextSingle() < o.FlipProbability;
            brightness = (random.NextSingle() * 2 - 1) * o.Brightness;
            contrast = 1 + ((random.NextSingle() * 2 - 1) * o.Contrast);
            saturation = 1 + ((random.NextSingle() * 2 - 1) * o.Saturation);
        }

        // Placement: centred without augmentation; anywhere that keeps the frame covered (or the image inside) with it.
        var (w, h) = (width * sx, height * sy);
        var centred = _spec.LetterboxTopLeft ? 0 : 1;
        var dx = augment ? Shift(random, _size, w) : (_size - w) / 2 * centred;
        var dy = augment ? Shift(random, _size, h) : (_size - h) / 2 * centred;

        Sample(rgba, width, height, rowBytes, destination, sx, sy, dx, dy, flip, brightness, contrast, saturation);

        var kept = 0;
        foreach (var (label, box) in objects)
        {
            var x1 = (box.Left * width * sx) + dx;
            var x2 = ((box.Left + box.Width) * width * sx) + dx;
            var y1 = (box.Top * height * sy) + dy;
            var y2 = ((box.Top + box.Height) * height * sy) + dy;
            if (flip)
            {
                (x1, x2) = (_size - x2, _size - x1);
            }

            var full = (x2 - x1) * (y2 - y1);
            var (cx1, cy1, cx2, cy2) = (Math.Clamp(x1, 0, _size), Math.Clamp(y1, 0, _size), Math.Clamp(x2, 0, _size), Math.Clamp(y2, 0, _size));
            var visible = (cx2 - cx1) * (cy2 - cy1);
            if (full <= 0 || cx2 - cx1 < 2 || cy2 - cy1 < 2 || visible < o.MinVisibleShare * full || kept == boxes.Length)
            {
                continue;
            }

            boxes[kept++] = new InputBox(label, cx1, cy1, cx2, cy2);
        }

        return kept;
    }

    private static float LogUniform(Random random, float min, float max) =>
        MathF.Exp(MathF.Log(min) + (random.NextSingle() * (MathF.Log(max) - MathF.Log(min))));

    // Offset of a span of length `placed` within `size`: anywhere from flush-left to flush-right.
    private static float Shift(Random random, int size, float placed) =>
        Math.Min(0, size - placed) + (random.NextSingle() * Math.Abs(size - placed));

    private void Sample(ReadOnlySpan<byte> rgba, int width, int height, int rowBytes, Span<float> destination,
        float sx, float sy, float dx, float dy, bool flip, float brightness, float contrast, float saturation)
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

        for (var v = 0; v < _size; v++)
        {
            var syf = ((v + 0.5f - dy) / sy) - 0.5f;
            var inY = syf > -1 && syf < height;
            var y0 = (int)MathF.Floor(syf);
            var fy = syf - y0;
            var (ya, yb) = (Math.Clamp(y0, 0, height - 1), Math.Clamp(y0 + 1, 0, height - 1));
            var rowA = rgba.Slice(ya * rowBytes, width * 4);
            var rowB = rgba.Slice(yb * rowBytes, width * 4);
            for (var u = 0; u < _size; u++)
            {
                var o = (v * _size) + u;
                var xo = flip ? _size - 1 - u : u;
                var sxf = ((xo + 0.5f - dx) / sx) - 0.5f;
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
