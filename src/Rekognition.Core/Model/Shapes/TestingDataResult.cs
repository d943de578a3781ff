// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>What happened to the test data during training.</summary>
public sealed class TestingDataResult
{
    /// <summary>The test data given for training.</summary>
    public TestingData Input { get; set; }
    /// <summary>The part of the test data actually used; images with errors are left out.</summary>
    public TestingData Output { get; set; }
    /// <summary>The validation manifest made for the test data during training.</summary>
    public ValidationData Validation { get; set; }
}
