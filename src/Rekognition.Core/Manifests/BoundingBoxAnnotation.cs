namespace Rekognition.Core.Manifests;

/// <summary>One entry of <c>annotations</c>: a box in absolute pixels from the top-left corner and the key of its label in <c>class-map</c>.</summary>
/// <param name="ClassId">Key into the metadata's <c>class-map</c>.</param>
/// <param name="Left">Pixels from the left edge.</param>
/// <param name="Top">Pixels from the top edge.</param>
/// <param name="Width">Box width in pixels.</param>
/// <param name="Height">Box height in pixels.</param>
public readonly record struct BoundingBoxAnnotation(int ClassId, float Left, float Top, float Width, float Height);
