namespace Rekognition.Core;

/// <summary>
/// The S3 client the S3 providers share (the <c>Rekognition:S3</c> section). Credentials come from the AWS SDK's
/// standard chain (<c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>, profiles, instance roles).
/// </summary>
public sealed class S3Options
{
    /// <summary>An S3-compatible endpoint (e.g. <c>http://127.0.0.1:4568</c>); unset means AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), which most S3-compatible servers need.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>The region of the buckets (default: the SDK's own choice, from the environment or profile).</summary>
    public string? Region { get; set; }

    /// <summary>
    /// Uploads without the <c>aws-chunked</c> content encoding and without optional checksums. Off for AWS; on for
    /// S3-compatible servers that do not decode that encoding (s3rver stores the chunk signatures inside the object).
    /// </summary>
    public bool DisableChunkEncoding { get; set; }
}
