// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>The validation results of a dataset made during training.</summary>
public sealed class ValidationData
{
    /// <summary>The validation manifests.</summary>
    public List<Asset> Assets { get; set; } = new();
}
