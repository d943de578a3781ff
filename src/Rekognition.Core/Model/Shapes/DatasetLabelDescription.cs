namespace Rekognition.Core.Model;

public sealed class DatasetLabelDescription
{
    public string? LabelName { get; set; }
    public DatasetLabelStats? LabelStats { get; set; }
}
