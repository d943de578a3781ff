namespace Rekognition.Core.Conversion;

/// <summary>What <see cref="FolderLabelsConverter"/> does with images directly in the given folder (they have no label folder).</summary>
public enum RootImageHandling
{
    /// <summary>Write them as unlabelled lines (only <c>source-ref</c>), as the console imports them.</summary>
    WriteUnlabelled,

    /// <summary>Leave them out.</summary>
    Skip,
}

/// <summary>Settings of a folder-name labelling conversion.</summary>
public sealed class FolderLabelsOptions
{
    /// <summary>The file extensions taken as images, case-insensitive. Default <c>.jpg</c>, <c>.jpeg</c>, <c>.png</c> (the formats the service accepts).</summary>
    public IReadOnlyCollection<string> Extensions { get; set; } = [".jpg", ".jpeg", ".png"];

    /// <summary>What to do with images directly in the given folder. Default <see cref="RootImageHandling.WriteUnlabelled"/>.</summary>
    public RootImageHandling RootImages { get; set; } = RootImageHandling.WriteUnlabelled;

    /// <summary>
    /// The folder standing for S3 (<see cref="RekognitionOptions.ResolvedBucketsRoot"/>): images under it are written as
    /// <c>s3://bucket/key</c>, others as <c>file://</c> URIs. Null: always <c>file://</c>.
    /// </summary>
    public string? BucketsRoot { get; set; }

    /// <summary>The label attribute name of every line. Default <c>label</c>.</summary>
    public string AttributeName { get; set; } = "label";

    /// <summary>The <c>job-name</c> written. Default <c>labeling-job/folder-labels</c>.</summary>
    public string? JobName { get; set; } = "labeling-job/folder-labels";

    /// <summary>The <c>creation-date</c> of every label. Default: the time of the conversion.</summary>
    public DateTime? CreationDate { get; set; }
}
