namespace Rekognition.Core.Manifests;

/// <summary>The kind of a label attribute, decided by the <c>type</c> of its metadata.</summary>
internal enum LabelAttributeKind
{
    /// <summary>The metadata has no usable <c>type</c> string.</summary>
    Unknown,

    /// <summary><c>groundtruth/image-classification</c>: one image-level label.</summary>
    Classification,

    /// <summary><c>groundtruth/object-detection</c>: labelled bounding boxes.</summary>
    ObjectDetection,

    /// <summary>Any other <c>type</c> value.</summary>
    Unsupported,
}
