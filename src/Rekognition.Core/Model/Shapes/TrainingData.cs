// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>The data that trains a model version: manifests of labeled images.</summary>
public sealed class TrainingData
{
    /// <summary>The training manifests.</summary>
    public List<Asset> Assets { get; set; } = new();
}
