// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>How well a trained model did on its test dataset.</summary>
public sealed class EvaluationResult
{
    /// <summary>The F1 score over all labels (0 to 1): precision and recall as one value, higher is better.</summary>
    public float? F1Score { get; set; }
    /// <summary>The location of the evaluation summary file.</summary>
    public Summary Summary { get; set; }
}
