namespace Rekognition.Core.Manifests;

/// <summary>
/// The object-location attribute of a manifest line: image size, boxes and the names of their classes,
/// written as <see cref="AttributeName"/> and its <c>-metadata</c> of type <c>groundtruth/object-detection</c>.
/// Mutable so that a converter can fill one instance per line and reuse it.
/// </summary>
public sealed class ImageBoundingBoxes
{
    /// <summary>The label attribute key. Default <c>bounding-box</c>.</summary>
    public string AttributeName { get; set; } = "bounding-box";

    /// <summary>Image width in pixels.</summary>
    public int ImageWidth { get; set; }

    /// <summary>Image height in pixels.</summary>
    public int ImageHeight { get; set; }

    /// <summary>Channel count (<c>depth</c>); the service does not use it but requires it. Default 3.</summary>
    public int ImageDepth { get; set; } = 3;

    /// <summary>The boxes, in the order they are written; may be empty (an image with no objects).</summary>
    public IReadOnlyList<BoundingBoxAnnotation> Annotations { get; set; } = Array.Empty<BoundingBoxAnnotation>();

    /// <summary>
    /// Names of the classes by id. It may hold more classes than the boxes use (e.g. a whole COCO category
    /// list): only the classes used by <see cref="Annotations"/> are written into <c>class-map</c>.
    /// </summary>
    public IReadOnlyDictionary<int, string> ClassNames { get; set; } = new Dictionary<int, string>();

    /// <summary>The labelling job's name (<c>job-name</c>); left out when null.</summary>
    public string? JobName { get; set; }

    /// <summary>Whether a person drew the boxes (<c>human-annotated</c>).</summary>
    public bool HumanAnnotated { get; set; } = true;

    /// <summary>When the boxes were made (<c>creation-date</c>).</summary>
    public ManifestTimestamp CreationDate { get; set; } = ManifestTimestamp.UtcNow;
}
