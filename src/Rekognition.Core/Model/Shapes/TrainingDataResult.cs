// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>What happened to the training data during training.</summary>
public sealed class TrainingDataResult
{
    /// <summary>The training data given.</summary>
    public TrainingData Input { get; set; }
    /// <summary>The images actually used for training; images with errors are left out.</summary>
    public TrainingData Output { get; set; }
    /// <summary>The training manifest with validation results for each line.</summary>
    public ValidationData Validation { get; set; }
}
