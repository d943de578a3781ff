namespace Rekognition.Core.Evaluation;

/// <summary>Outcome of one prediction or ground-truth item against its label's assumed threshold.</summary>
internal enum EvaluationOutcome
{
    /// <summary>Predicted at or above the threshold and matches the ground truth.</summary>
    TruePositive,

    /// <summary>Predicted at or above the threshold, no matching ground truth.</summary>
    FalsePositive,

    /// <summary>In the ground truth, not predicted at or above the threshold.</summary>
    FalseNegative,

    /// <summary>Predicted below the threshold, no matching ground truth.</summary>
    TrueNegative,
}
