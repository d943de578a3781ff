namespace Rekognition.Core.Validation;

/// <summary>A label a line uses, and whether it is the label of a bounding box or an image-level label.</summary>
/// <param name="Name">The label name.</param>
/// <param name="OnBoundingBox">True for a box's label (from <c>class-map</c>), false for an image-level label (<c>class-name</c>).</param>
internal readonly record struct LabelUse(string Name, bool OnBoundingBox);
