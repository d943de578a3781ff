namespace Rekognition.Core.Model;

public sealed class DistributeDataset
{
    public string? Arn { get; set; }
}
