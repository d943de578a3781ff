namespace Rekognition.Core.Evaluation;

/// <summary>
/// An axis-aligned box in <b>pixels</b> of the image, origin at the top-left corner: the same units as the
/// <c>annotations[]</c> of a Ground Truth bounding-box manifest.
/// </summary>
/// <param name="Left">Distance of the left edge from the image's left edge, in pixels.</param>
/// <param name="Top">Distance of the top edge from the image's top edge, in pixels.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
internal readonly record struct PixelBox(float Left, float Top, float Width, float Height)
{
    /// <summary>Converts a box given as ratios of the image size (as <c>DetectCustomLabels</c> returns it) to pixels.</summary>
    public static PixelBox FromRatios(float left, float top, float width, float height, int imageWidth, int imageHeight) =>
        new(left * imageWidth, top * imageHeight, width * imageWidth, height * imageHeight);

    /// <summary>Intersection over union of two boxes: 0 when they do not overlap, 1 when identical.</summary>
    public static double IntersectionOverUnion(in PixelBox a, in PixelBox b)
    {
        double ix = Math.Min((double)a.Left + a.Width, (double)b.Left + b.Width) - Math.Max(a.Left, b.Left);
        double iy = Math.Min((double)a.Top + a.Height, (double)b.Top + b.Height) - Math.Max(a.Top, b.Top);
        if (ix <= 0 || iy <= 0)
        {
            return 0;
        }

        double intersection = ix * iy;
        double union = ((double)a.Width * a.Height) + ((double)b.Width * b.Height) - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
