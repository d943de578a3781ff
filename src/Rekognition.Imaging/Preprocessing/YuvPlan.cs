using Rekognition.Core.Models;

namespace Rekognition.Imaging.Preprocessing;

/// <summary>
/// A <see cref="ResamplePlan"/> for the luma plane of a YCbCr image plus the axes of its chroma planes, which are
/// resampled straight from their own (subsampled) size to the placed size: chroma sample centres sit in the middle
/// of the luma samples they cover, so a centre-aligned resize of the chroma plane lands where the luma does.
/// </summary>
internal sealed class YuvPlan
{
    public YuvPlan(ModelInputSpec spec, int width, int height, int chromaShiftX, int chromaShiftY)
    {
        Luma = new ResamplePlan(spec, width, height);
        ChromaShiftX = chromaShiftX;
        ChromaShiftY = chromaShiftY;
        var area = spec.Interpolation == ResizeInterpolation.Area;
        var placement = Luma.Placement;
        ChromaX = ChromaAxis(area, width, chromaShiftX, placement.Width);
        ChromaY = ChromaAxis(area, height, chromaShiftY, placement.Height);
        LumaShuffle = PlaneShuffle.For(Luma.X);
        ChromaShuffle = PlaneShuffle.For(ChromaX);
    }

    /// <summary>Gather-free tables for the luma rows, where the axis allows them.</summary>
    public PlaneShuffle? LumaShuffle { get; }

    public PlaneShuffle? ChromaShuffle { get; }

    public ResamplePlan Luma { get; }

    public int ChromaShiftX { get; }

    public int ChromaShiftY { get; }

    public ResampleAxis ChromaX { get; }

    public ResampleAxis ChromaY { get; }

    /// <summary>Chroma samples per placed pixel along one axis, as the reference computes them.</summary>
    public static (float Bilinear, double Area) ChromaScale(int lumaSide, int shift, int placed) =>
        ((float)lumaSide / (1 << shift) / placed, (double)lumaSide / (1 << shift) / placed);

    /// <summary>
    /// A chroma plane has ceil(side / 2^shift) samples; when the side is odd its last one also covers a luma sample
    /// past the image, so the axis maps the image's own extent (side / 2^shift samples), not the plane's whole width.
    /// </summary>
    private static ResampleAxis ChromaAxis(bool area, int lumaSide, int shift, int placed)
    {
        var samples = (lumaSide + (1 << shift) - 1) >> shift;
        var (bilinear, areaScale) = ChromaScale(lumaSide, shift, placed);
        return area && areaScale > 1 ? ResampleAxis.Area(samples, placed, areaScale) : ResampleAxis.Bilinear(samples, placed, bilinear);
    }
}
