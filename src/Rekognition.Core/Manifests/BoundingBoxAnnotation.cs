namespace Rekognition.Core.Manifests;

/// <summary>
/// One box of an object-location line, in pixels from the image's top-left corner. Values are written as
/// given (fractional pixels stay fractional); <see cref="Confidence"/> goes into the matching <c>objects</c> entry.
/// </summary>
/// <param name="ClassId">The key into the line's <c>class-map</c>.</param>
/// <param name="Left">Pixels from the left edge of the image to the left edge of the box.</param>
/// <param name="Top">Pixels from the top edge of the image to the top edge of the box.</param>
/// <param name="Width">Box width in pixels.</param>
/// <param name="Height">Box height in pixels.</param>
public readonly record struct BoundingBoxAnnotation(int ClassId, double Left, double Top, double Width, double Height)
{
    /// <summary>The box's <c>objects[i].confidence</c>, between 0 and 1.</summary>
    public double Confidence { get; init; } = 1;
}
