namespace Rekognition.Core.Evaluation;

/// <summary>One point of a label's precision–recall curve at IoU 0.5: the metrics when predictions at or above <paramref name="Threshold"/> count as positive.</summary>
/// <param name="Threshold">Confidence cut-off (0–1); one point per distinct confidence, highest first.</param>
/// <param name="Precision">TP / (TP + FP) at that cut-off.</param>
/// <param name="Recall">TP / (number of ground-truth items) at that cut-off.</param>
internal readonly record struct PrecisionRecallPoint(float Threshold, double Precision, double Recall);
