using Rekognition.Core.Models;

namespace Rekognition.Imaging.Preprocessing;

/// <summary>Everything about resizing one source size into one input spec that does not depend on the pixels; immutable.</summary>
internal sealed class ResamplePlan
{
    public ResamplePlan(ModelInputSpec spec, int sourceWidth, int sourceHeight)
    {
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        Placement = Placement.For(spec, sourceWidth, sourceHeight);
        var area = spec.Interpolation == ResizeInterpolation.Area;
        X = area ? ResampleAxis.Area(sourceWidth, Placement.Width) : ResampleAxis.Bilinear(sourceWidth, Placement.Width);
        Y = area ? ResampleAxis.Area(sourceHeight, Placement.Height) : ResampleAxis.Bilinear(sourceHeight, Placement.Height);
    }

    public int SourceWidth { get; }

    public int SourceHeight { get; }

    public Placement Placement { get; }

    /// <summary>Source columns to placed columns.</summary>
    public ResampleAxis X { get; }

    /// <summary>Source rows to placed rows.</summary>
    public ResampleAxis Y { get; }
}
