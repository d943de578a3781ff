namespace Rekognition.Core.Model;

public sealed class DatasetSource
{
    public GroundTruthManifest? GroundTruthManifest { get; set; }
    public string? DatasetArn { get; set; }
}
