namespace Rekognition.Core.Evaluation;

/// <summary>
/// One non-zero cell of the classification confusion matrix: the share (0–1) of the test images whose ground truth
/// is <paramref name="GroundTruthLabel"/> whose top prediction is <paramref name="PredictedLabel"/>; each
/// ground-truth label's cells sum to 1.
/// </summary>
internal readonly record struct ConfusionMatrixCell(string GroundTruthLabel, string PredictedLabel, double Value);
