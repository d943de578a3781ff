namespace Rekognition.Core.Model;

public sealed class OutputConfig
{
    public string? S3Bucket { get; set; }
    public string? S3KeyPrefix { get; set; }
}
