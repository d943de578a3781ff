namespace Rekognition.Core.Model;

public sealed class TestingData
{
    public List<Asset> Assets { get; set; } = new();
    public bool? AutoCreate { get; set; }
}
