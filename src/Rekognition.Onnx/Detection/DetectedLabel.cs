using Rekognition.Core.Inference;

namespace Rekognition.Onnx.Detection;

/// <summary>A label found in an image.</summary>
/// <param name="Name">The label, as the model's metadata names it.</param>
/// <param name="Confidence">How sure the model is, 0 to 100.</param>
/// <param name="Box">Where the object is, as ratios of the image; null for image-level labels.</param>
public readonly record struct DetectedLabel(string Name, float Confidence, NormalizedBox? Box = null);
