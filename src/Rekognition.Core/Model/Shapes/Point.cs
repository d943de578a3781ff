namespace Rekognition.Core.Model;

public sealed class Point
{
    public float? X { get; set; }
    public float? Y { get; set; }
}
