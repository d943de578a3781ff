namespace Rekognition.Core.Model;

public sealed class DatasetLabelStats
{
    public int? EntryCount { get; set; }
    public int? BoundingBoxCount { get; set; }
}
