namespace Rekognition.Core.Model;

public sealed class BoundingBox
{
    public float? Width { get; set; }
    public float? Height { get; set; }
    public float? Left { get; set; }
    public float? Top { get; set; }
}
