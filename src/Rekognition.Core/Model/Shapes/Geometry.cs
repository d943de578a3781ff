// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>Where an object is in an image.</summary>
public sealed class Geometry
{
    /// <summary>The rectangle around the object.</summary>
    public BoundingBox BoundingBox { get; set; }
    /// <summary>The points of a polygon around the object.</summary>
    public List<Point> Polygon { get; set; } = new();
}
