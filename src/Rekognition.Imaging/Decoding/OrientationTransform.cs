namespace Rekognition.Imaging.Decoding;

/// <summary>Copies stored RGBA pixels into their displayed orientation, exactly (a pure permutation, no resampling).</summary>
internal static class OrientationTransform
{
    /// <summary>Whether the displayed image has the stored height as its width.</summary>
    public static bool SwapsAxes(Orientation orientation) => orientation >= Orientation.LeftTop;

    /// <summary>
    /// Writes the <paramref name="width"/> x <paramref name="height"/> stored pixels of <paramref name="source"/> into
    /// <paramref name="destination"/> (packed rows of the displayed size).
    /// </summary>
    public static void Apply(ReadOnlySpan<uint> source, int width, int height, Orientation orientation, Span<uint> destination)
    {
        // The stored pixel shown at displayed (X, Y) is source[origin + X * stepX + Y * stepY].
        var (origin, stepX, stepY) = orientation switch
        {
            Orientation.TopRight => (width - 1, -1, width),
            Orientation.BottomRight => ((height - 1) * width + width - 1, -1, -width),
            Orientation.BottomLeft => ((height - 1) * width, 1, -width),
            Orientation.LeftTop => (0, width, 1),
            Orientation.RightTop => ((height - 1) * width, -width, 1),
            Orientation.RightBottom => ((height - 1) * width + width - 1, -width, -1),
            Orientation.LeftBottom => (width - 1, width, -1),
            _ => (0, 1, width),
        };
        var shownWidth = SwapsAxes(orientation) ? height : width;
        var shownHeight = SwapsAxes(orientation) ? width : height;
        for (var y = 0; y < shownHeight; y++)
        {
            var row = destination.Slice(y * shownWidth, shownWidth);
            var at = origin + y * stepY;
            for (var x = 0; x < shownWidth; x++, at += stepX)
            {
                row[x] = source[at];
            }
        }
    }
}
