namespace Rekognition.Core.Model;

public sealed class CustomLabel
{
    public string? Name { get; set; }
    public float? Confidence { get; set; }
    public Geometry? Geometry { get; set; }
}
