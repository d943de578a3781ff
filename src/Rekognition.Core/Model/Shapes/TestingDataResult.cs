// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

public sealed class TestingDataResult
{
    public TestingData Input { get; set; }
    public TestingData Output { get; set; }
    public ValidationData Validation { get; set; }
}
