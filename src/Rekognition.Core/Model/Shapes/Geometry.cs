namespace Rekognition.Core.Model;

public sealed class Geometry
{
    public BoundingBox? BoundingBox { get; set; }
    public List<Point> Polygon { get; set; } = new();
}
