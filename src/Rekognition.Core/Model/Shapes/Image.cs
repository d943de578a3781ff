namespace Rekognition.Core.Model;

public sealed class Image
{
    public MemoryStream? Bytes { get; set; }
    public S3Object? S3Object { get; set; }
}
