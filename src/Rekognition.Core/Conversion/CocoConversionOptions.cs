namespace Rekognition.Core.Conversion;

/// <summary>What <see cref="CocoManifestConverter"/> does with COCO <c>iscrowd = 1</c> annotations.</summary>
public enum CocoCrowdHandling
{
    /// <summary>
    /// Keep them, as the service's reference script does; the box then frames a whole group of objects and a warning
    /// gives their count. The annotation carries <c>"iscrowd": 1</c>: training and the service's metrics use it as an
    /// ordinary box, the COCO-exact metrics ignore it as pycocotools does.
    /// </summary>
    Keep,

    /// <summary>Leave them out: a crowd region is not one object, and detectors are usually trained without them.</summary>
    Skip,
}

/// <summary>Settings of a COCO to Ground Truth conversion.</summary>
public sealed class CocoConversionOptions
{
    /// <summary>
    /// Where the images are: an <c>s3://bucket/prefix/</c>, a <c>file://</c> folder URI or a local folder;
    /// each image's <c>file_name</c> is appended. Images whose <c>coco_url</c> already is an <c>s3://</c>
    /// URI use it as is. Required unless every image has such a <c>coco_url</c>.
    /// </summary>
    public string? ImagePrefix { get; set; }

    /// <summary>
    /// The folder standing for S3 (<see cref="RekognitionOptions.ResolvedBucketsRoot"/>): local images under it are
    /// written as <c>s3://bucket/key</c>, others as <c>file://</c> URIs. Null: always <c>file://</c>.
    /// </summary>
    public string? BucketsRoot { get; set; }

    /// <summary>The label attribute name. Default <c>bounding-box</c>, as the reference script.</summary>
    public string AttributeName { get; set; } = "bounding-box";

    /// <summary>The <c>job-name</c> written into each line's metadata.</summary>
    public string JobName { get; set; } = "labeling-job/coco-import";

    /// <summary>The <c>human-annotated</c> value written. Default yes.</summary>
    public bool HumanAnnotated { get; set; } = true;

    /// <summary>The <c>depth</c> written into <c>image_size</c> (COCO has none). Default 3.</summary>
    public int ImageDepth { get; set; } = 3;

    /// <summary>What to do with crowd annotations. Default <see cref="CocoCrowdHandling.Keep"/>.</summary>
    public CocoCrowdHandling Crowd { get; set; } = CocoCrowdHandling.Keep;

    /// <summary>
    /// Whether images without any annotation are left out. Default false: they get a line with empty
    /// <c>annotations</c>, as the reference script writes (the service warns <c>WARNING_NO_ANNOTATIONS</c>).
    /// </summary>
    public bool SkipImagesWithoutAnnotations { get; set; }

    /// <summary>The <c>creation-date</c> for images without <c>date_captured</c>. Default: the time of the conversion.</summary>
    public DateTime? DefaultCreationDate { get; set; }
}
