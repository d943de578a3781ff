namespace Rekognition.Core.Model;

public sealed class EvaluationResult
{
    public float? F1Score { get; set; }
    public Summary? Summary { get; set; }
}
