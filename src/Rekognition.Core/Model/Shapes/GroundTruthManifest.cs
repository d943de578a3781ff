namespace Rekognition.Core.Model;

public sealed class GroundTruthManifest
{
    public S3Object? S3Object { get; set; }
}
