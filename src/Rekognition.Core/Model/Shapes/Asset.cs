namespace Rekognition.Core.Model;

public sealed class Asset
{
    public GroundTruthManifest? GroundTruthManifest { get; set; }
}
