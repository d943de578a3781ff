namespace Rekognition.Core.Conversion;

/// <summary>Settings of a CSV to Ground Truth classification manifest conversion.</summary>
public sealed class CsvConversionOptions
{
    /// <summary>
    /// Prepended to the first column when it holds a file name: an <c>s3://bucket/folder/</c>, a <c>file://</c>
    /// folder URI or a local folder (a <c>/</c> is added when missing). Without it the first column must
    /// hold full paths (<c>s3://</c>, <c>file://</c> or absolute).
    /// </summary>
    public string? ImagePrefix { get; set; }

    /// <summary>The folder standing for S3: local images under it are written as <c>s3://bucket/key</c>.</summary>
    public string? BucketsRoot { get; set; }

    /// <summary>
    /// Whether a manifest of the first occurrences is still written when some images repeat. Default false:
    /// as the reference script, nothing is written until the duplicates are resolved.
    /// </summary>
    public bool WriteManifestWhenDuplicates { get; set; }

    /// <summary>Put before each label to make its <c>job-name</c>. Default <c>labeling-job/</c>.</summary>
    public string JobNamePrefix { get; set; } = "labeling-job/";

    /// <summary>The <c>creation-date</c> of every label. Default: the time of the conversion.</summary>
    public DateTime? CreationDate { get; set; }
}
