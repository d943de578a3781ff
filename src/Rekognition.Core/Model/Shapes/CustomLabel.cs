// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>A label a model found in an image.</summary>
public sealed class CustomLabel
{
    /// <summary>The label's name.</summary>
    public string Name { get; set; }
    /// <summary>How confident the model is in the label (0-100).</summary>
    public float? Confidence { get; set; }
    /// <summary>Where the object is in the image; none for an image-level label.</summary>
    public Geometry Geometry { get; set; }
}
