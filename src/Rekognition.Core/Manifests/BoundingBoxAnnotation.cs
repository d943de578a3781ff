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

    /// <summary>
    /// COCO's <c>iscrowd</c>, written as <c>"iscrowd": 1</c> in the annotation when true (not a field of the
    /// service's format, which ignores it): the box frames a group of objects. The COCO-exact metrics ignore such
    /// regions; the service's metrics and training use the box as an ordinary one.
    /// </summary>
    public bool IsCrowd { get; init; }

    /// <summary>
    /// COCO's <c>area</c> (segmentation area, square pixels), written as <c>"area"</c> in the annotation when set (not
    /// a field of the service's format): decides the COCO-exact small/medium/large range. Null: the box's area is used.
    /// </summary>
    public double? Area { get; init; }
}
