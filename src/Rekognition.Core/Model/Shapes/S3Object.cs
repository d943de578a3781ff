namespace Rekognition.Core.Model;

public sealed class S3Object
{
    public string? Bucket { get; set; }
    public string? Name { get; set; }
    public string? Version { get; set; }
}
