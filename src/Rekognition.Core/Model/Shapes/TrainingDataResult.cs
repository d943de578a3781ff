// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

public sealed class TrainingDataResult
{
    public TrainingData Input { get; set; }
    public TrainingData Output { get; set; }
    public ValidationData Validation { get; set; }
}
