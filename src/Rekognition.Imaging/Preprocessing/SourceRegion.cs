using Rekognition.Core.Models;

namespace Rekognition.Imaging.Preprocessing;

/// <summary>
/// The part of the image, in whole image pixels, that is resized into the model's input: the whole image, or for
/// <see cref="ResizeMode.CentreCrop"/> the centred rectangle with the input's aspect ratio whose sides are
/// <see cref="ModelInputSpec.CropFraction"/> of the largest such rectangle that fits.
/// </summary>
internal readonly record struct SourceRegion(int Left, int Top, int Width, int Height)
{
    /// <summary>The region of a <paramref name="width"/> x <paramref name="height"/> image that <paramref name="spec"/> reads.</summary>
    public static SourceRegion For(ModelInputSpec spec, int width, int height)
    {
        if (spec.Resize != ResizeMode.CentreCrop)
        {
            return new SourceRegion(0, 0, width, height);
        }

        if (!(spec.CropFraction > 0 && spec.CropFraction <= 1))
        {
            throw new ArgumentException($"The crop fraction {spec.CropFraction} is not in (0, 1].", nameof(spec));
        }

        // Image pixels per input pixel of the largest centred rectangle with the input's aspect that fits, then cropped.
        var fit = Math.Min((double)width / spec.Width, (double)height / spec.Height) * spec.CropFraction;
        var w = Math.Clamp((int)Math.Round(spec.Width * fit), 1, width);
        var h = Math.Clamp((int)Math.Round(spec.Height * fit), 1, height);
        return new SourceRegion((width - w) / 2, (height - h) / 2, w, h);
    }

    /// <summary>Whether the region is the whole <paramref name="width"/> x <paramref name="height"/> image.</summary>
    public bool IsWhole(int width, int height) => Left == 0 && Top == 0 && Width == width && Height == height;

    /// <summary>Offset of the region's first pixel in an RGBA buffer with <paramref name="rowBytes"/> bytes per row.</summary>
    public int FirstByte(int rowBytes) => Top * rowBytes + Left * 4;

    /// <summary>
    /// The geometry of the region resized into the input (<paramref name="placed"/>, measured against the region)
    /// measured against the whole <paramref name="width"/> x <paramref name="height"/> image instead.
    /// </summary>
    public InputGeometry ToImage(InputGeometry placed, int width, int height) => placed with
    {
        ImageWidth = width,
        ImageHeight = height,
        PadX = placed.PadX - Left * placed.ScaleX,
        PadY = placed.PadY - Top * placed.ScaleY,
    };

    /// <summary>
    /// The smallest decode size that still gives the input its full resolution: for a centre crop the image's shorter
    /// side must cover input / fraction pixels; otherwise the input size.
    /// </summary>
    public static (int Width, int Height) DecodeTarget(ModelInputSpec spec)
    {
        if (spec.Resize != ResizeMode.CentreCrop || !(spec.CropFraction > 0 && spec.CropFraction < 1))
        {
            return (spec.Width, spec.Height);
        }

        return ((int)Math.Ceiling(spec.Width / spec.CropFraction - 1e-4), (int)Math.Ceiling(spec.Height / spec.CropFraction - 1e-4));
    }
}
