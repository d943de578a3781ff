namespace Rekognition.Core.Evaluation;

/// <summary>One ground-truth box of a test image.</summary>
/// <param name="LabelIndex">Index of the box's label in <see cref="EvaluationInput.Labels"/>.</param>
/// <param name="Box">The box, in pixels.</param>
public readonly record struct GroundTruthObject(int LabelIndex, PixelBox Box);
