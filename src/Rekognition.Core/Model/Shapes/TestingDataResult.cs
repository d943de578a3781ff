namespace Rekognition.Core.Model;

public sealed class TestingDataResult
{
    public TestingData? Input { get; set; }
    public TestingData? Output { get; set; }
    public ValidationData? Validation { get; set; }
}
