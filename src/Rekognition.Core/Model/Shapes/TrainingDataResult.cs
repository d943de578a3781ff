namespace Rekognition.Core.Model;

public sealed class TrainingDataResult
{
    public TrainingData? Input { get; set; }
    public TrainingData? Output { get; set; }
    public ValidationData? Validation { get; set; }
}
