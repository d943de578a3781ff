namespace Rekognition.Core.Evaluation;

/// <summary>One prediction of the model on a test image.</summary>
/// <param name="LabelIndex">Index of the predicted label in <see cref="EvaluationInput.Labels"/>.</param>
/// <param name="Confidence">Confidence as a fraction in <c>[0, 1]</c> (not the 0–100 percentage of <c>DetectCustomLabels</c>).</param>
/// <param name="Box">Predicted box in pixels; ignored for <see cref="EvaluationTaskType.ImageClassification"/>.</param>
internal readonly record struct PredictedLabel(int LabelIndex, float Confidence, PixelBox Box = default);
