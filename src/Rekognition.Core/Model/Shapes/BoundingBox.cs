// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>A rectangle in an image, each value a ratio of the image's width or height (0 to 1).</summary>
public sealed class BoundingBox
{
    /// <summary>The box's width as a ratio of the image's width.</summary>
    public float? Width { get; set; }
    /// <summary>The box's height as a ratio of the image's height.</summary>
    public float? Height { get; set; }
    /// <summary>The box's left edge as a ratio of the image's width.</summary>
    public float? Left { get; set; }
    /// <summary>The box's top edge as a ratio of the image's height.</summary>
    public float? Top { get; set; }
}
