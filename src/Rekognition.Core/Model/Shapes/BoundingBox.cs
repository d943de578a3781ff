// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

public sealed class BoundingBox
{
    public float? Width { get; set; }
    public float? Height { get; set; }
    public float? Left { get; set; }
    public float? Top { get; set; }
}
