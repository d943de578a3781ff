namespace Rekognition.Core.Model;

public sealed class TrainingData
{
    public List<Asset> Assets { get; set; } = new();
}
