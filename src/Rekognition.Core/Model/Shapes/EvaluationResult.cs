// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

public sealed class EvaluationResult
{
    public float? F1Score { get; set; }
    public Summary Summary { get; set; }
}
