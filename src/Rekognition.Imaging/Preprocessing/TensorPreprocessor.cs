using Rekognition.Core.Inference.Decoding;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;

namespace Rekognition.Imaging.Preprocessing;

/// <summary>
/// Writes an RGBA image into one image's slot of a model's input tensor as the model's metadata says:
/// stretched or letterboxed to the input size (bilinear, pixel centres aligned as OpenCV's INTER_LINEAR),
/// scaled, mean/std normalized, RGB or BGR, NCHW or NHWC. One instance per model; thread-safe.
/// </summary>
public sealed class TensorPreprocessor
{
    private readonly ModelInputSpec _spec;
    private readonly float[] _mul = new float[3];
    private readonly float[] _add = new float[3];
    private readonly int[] _sourceChannel = new int[3];

    public TensorPreprocessor(ModelInputSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Width <= 0 || spec.Height <= 0 || spec.Mean.Length != 3 || spec.Std.Length != 3)
        {
            throw new ArgumentException("The input spec needs a positive size and three means and standard deviations.", nameof(spec));
        }

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

    public ModelInputSpec Spec => _spec;

    /// <summary>Floats one image takes in the tensor (3 x height x width).</summary>
    public int ElementsPerImage => 3 * _spec.Width * _spec.Height;

    /// <summary>Writes <paramref name="image"/> into <paramref name="destination"/> (exactly <see cref="ElementsPerImage"/> floats).</summary>
    public InputGeometry Write(DecodedImage image, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Write(image.Pixels, image.Width, image.Height, image.RowBytes, destination);
    }

    /// <summary>
    /// Writes RGBA pixels into <paramref name="destination"/> (exactly <see cref="ElementsPerImage"/> floats) and
    /// returns how the image was placed, to map boxes back to it.
    /// </summary>
    public InputGeometry Write(ReadOnlySpan<byte> rgba, int width, int height, int rowBytes, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowBytes, width * 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(rgba.Length, rowBytes * (height - 1) + width * 4);
        ArgumentOutOfRangeException.ThrowIfNotEqual(destination.Length, ElementsPerImage);

        var placement = Placement.For(_spec, width, height);
        var dw = _spec.Width;
        var dh = _spec.Height;
        var plane = dw * dh;
        var nchw = _spec.Layout == TensorLayout.NCHW;
        Span<float> pad = stackalloc float[3];
        for (var c = 0; c < 3; c++)
        {
            pad[c] = _spec.PadValue * _mul[c] + _add[c];
        }

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
                    if (inside)
                    {
                        var sx = Math.Clamp((ix + 0.5f) * scaleX - 0.5f, 0f, width - 1);
                        var x0 = (int)sx;
                        var x1 = Math.Min(x0 + 1, width - 1);
                        var fx = sx - x0;
                        var ch = _sourceChannel[c];
                        var top = rgba[y0 * rowBytes + x0 * 4 + ch] + (rgba[y0 * rowBytes + x1 * 4 + ch] - rgba[y0 * rowBytes + x0 * 4 + ch]) * fx;
                        var bottom = rgba[y1 * rowBytes + x0 * 4 + ch] + (rgba[y1 * rowBytes + x1 * 4 + ch] - rgba[y1 * rowBytes + x0 * 4 + ch]) * fx;
                        value = (top + (bottom - top) * fy) * _mul[c] + _add[c];
                    }
                    else
                    {
                        value = pad[c];
                    }

                    destination[nchw ? c * plane + y * dw + x : (y * dw + x) * 3 + c] = value;
                }
            }
        }

        return new InputGeometry(width, height, (float)placement.Width / width, (float)placement.Height / height, placement.Left, placement.Top);
    }

    /// <summary>Where the resized image sits in the input, in whole input pixels.</summary>
    internal readonly record struct Placement(int Left, int Top, int Width, int Height)
    {
        public static Placement For(ModelInputSpec spec, int width, int height)
        {
            if (spec.Resize == ResizeMode.Stretch)
            {
                return new Placement(0, 0, spec.Width, spec.Height);
            }

            var scale = Math.Min((double)spec.Width / width, (double)spec.Height / height);
            var w = Math.Clamp((int)Math.Round(width * scale), 1, spec.Width);
            var h = Math.Clamp((int)Math.Round(height * scale), 1, spec.Height);
            return spec.LetterboxTopLeft
                ? new Placement(0, 0, w, h)
                : new Placement((spec.Width - w) / 2, (spec.Height - h) / 2, w, h);
        }
    }
}
