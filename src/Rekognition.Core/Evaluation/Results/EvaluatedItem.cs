namespace Rekognition.Core.Evaluation;

/// <summary>
/// One item of a test image's result, as the console's "View test results" shows it: either a prediction, or a
/// ground-truth item that no prediction matched (then <see cref="IsPrediction"/> is false, the confidence is 0 and
/// the box is the ground-truth box).
/// </summary>
/// <param name="LabelIndex">Index of the label.</param>
/// <param name="Confidence">Prediction confidence (0–1); 0 for a missed ground-truth item.</param>
/// <param name="Box">Box in pixels (detection only).</param>
/// <param name="Outcome">Outcome at the label's assumed threshold.</param>
/// <param name="IsPresentInGroundTruth">Classification: the label is in the image's ground truth; detection: the box matched a ground-truth box at IoU ≥ 0.5; in both cases regardless of the threshold.</param>
/// <param name="IsPrediction">True for a prediction, false for a missed ground-truth item.</param>
internal readonly record struct EvaluatedItem(
    int LabelIndex, float Confidence, PixelBox Box, EvaluationOutcome Outcome, bool IsPresentInGroundTruth, bool IsPrediction);
