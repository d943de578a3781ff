namespace Rekognition.Core.Model;

public sealed class Summary
{
    public S3Object? S3Object { get; set; }
}
