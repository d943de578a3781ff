// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>An image given as bytes or as an S3 object, not both.</summary>
public sealed class Image
{
    /// <summary>The image's bytes (JPEG or PNG; DetectCustomLabels takes at most 4 MB).</summary>
    public MemoryStream Bytes { get; set; }
    /// <summary>The bucket and key of the image file.</summary>
    public S3Object S3Object { get; set; }
}
