// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

public sealed class TestingData
{
    public List<Asset> Assets { get; set; } = new();
    public bool? AutoCreate { get; set; }
}
