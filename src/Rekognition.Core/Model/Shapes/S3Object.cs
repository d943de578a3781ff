// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>A file in a bucket (here a folder of the local store standing for S3).</summary>
public sealed class S3Object
{
    /// <summary>The name of the bucket.</summary>
    public string Bucket { get; set; }
    /// <summary>The file's key in the bucket.</summary>
    public string Name { get; set; }
    /// <summary>The file's version, for a bucket with versioning.</summary>
    public string Version { get; set; }
}
