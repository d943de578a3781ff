// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>Where a new dataset's entries come from: a manifest or another dataset, not both.</summary>
public sealed class DatasetSource
{
    /// <summary>A SageMaker Ground Truth format manifest whose entries are imported.</summary>
    public GroundTruthManifest GroundTruthManifest { get; set; }
    /// <summary>The ARN of an existing dataset whose entries are copied.</summary>
    public string DatasetArn { get; set; }
}
