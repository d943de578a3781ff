using Rekognition.Core.Models;

namespace Rekognition.Imaging.Preprocessing;

/// <summary>
/// A <see cref="ResamplePlan"/> for the luma plane of a YCbCr image plus the axes of its chroma planes, which are
/// resampled straight from their own (subsampled) size to the placed size: chroma sample centres sit in the middle
/// of the luma samples they cover, so a centre-aligned resize of the chroma plane lands where the luma does.
/// </summary>
internal sealed class YuvPlan
{
    public YuvPlan(ModelInputSpec spec, int width, int height, int chromaWidth, int chromaHeight)
    {
        Luma = new ResamplePlan(spec, width, height);
        ChromaWidth = chromaWidth;
        ChromaHeight = chromaHeight;
        var area = spec.Interpolation == ResizeInterpolation.Area;
        var placement = Luma.Placement;
        ChromaX = area ? ResampleAxis.Area(chromaWidth, placement.Width) : ResampleAxis.Bilinear(chromaWidth, placement.Width);
        ChromaY = area ? ResampleAxis.Area(chromaHeight, placement.Height) : ResampleAxis.Bilinear(chromaHeight, placement.Height);
        LumaShuffle = PlaneShuffle.For(Luma.X);
        ChromaShuffle = PlaneShuffle.For(ChromaX);
    }

    /// <summary>Gather-free tables for the luma rows, where the axis allows them.</summary>
    public PlaneShuffle? LumaShuffle { get; }

    public PlaneShuffle? ChromaShuffle { get; }

    public ResamplePlan Luma { get; }

    public int ChromaWidth { get; }

    public int ChromaHeight { get; }

    public ResampleAxis ChromaX { get; }

    public ResampleAxis ChromaY { get; }
}
