namespace Rekognition.Core.Model;

public sealed class ValidationData
{
    public List<Asset> Assets { get; set; } = new();
}
