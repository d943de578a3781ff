// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

public sealed class CustomLabel
{
    public string Name { get; set; }
    public float? Confidence { get; set; }
    public Geometry Geometry { get; set; }
}
