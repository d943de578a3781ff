// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>The data that tests a model version: manifests, or a split of the training data.</summary>
public sealed class TestingData
{
    /// <summary>The test manifests.</summary>
    public List<Asset> Assets { get; set; } = new();
    /// <summary>True to take the test data from the training data (80/20 split).</summary>
    public bool? AutoCreate { get; set; }
}
