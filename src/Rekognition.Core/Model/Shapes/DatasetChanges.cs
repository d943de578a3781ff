namespace Rekognition.Core.Model;

public sealed class DatasetChanges
{
    public MemoryStream? GroundTruth { get; set; }
}
