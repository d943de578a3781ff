// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>A point of a polygon, each coordinate a ratio of the image's width or height (0 to 1).</summary>
public sealed class Point
{
    /// <summary>The horizontal coordinate as a ratio of the image's width.</summary>
    public float? X { get; set; }
    /// <summary>The vertical coordinate as a ratio of the image's height.</summary>
    public float? Y { get; set; }
}
