namespace Rekognition.Core.Conversion;

/// <summary>Settings of a YOLO labels to Ground Truth bounding-box conversion.</summary>
public sealed class YoloConversionOptions
{
    /// <summary>The image file extensions looked for, case-insensitive. Default <c>.jpg</c>, <c>.jpeg</c>, <c>.png</c>.</summary>
    public IReadOnlyCollection<string> Extensions { get; set; } = [".jpg", ".jpeg", ".png"];

    /// <summary>The folder standing for S3: images under it are written as <c>s3://bucket/key</c>, others as <c>file://</c> URIs.</summary>
    public string? BucketsRoot { get; set; }

    /// <summary>The label attribute name. Default <c>bounding-box</c>.</summary>
    public string AttributeName { get; set; } = "bounding-box";

    /// <summary>The <c>job-name</c> written. Default <c>labeling-job/yolo-import</c>.</summary>
    public string? JobName { get; set; } = "labeling-job/yolo-import";

    /// <summary>The <c>creation-date</c> of every line (YOLO has no dates). Default: the time of the conversion.</summary>
    public DateTime? CreationDate { get; set; }

    /// <summary>Decimals kept in pixel coordinates computed from normalised ones. Default 2.</summary>
    public int PixelDecimals { get; set; } = 2;
}
