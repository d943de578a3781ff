// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DeleteDataset: request and response members as named in the service's API model.

/// <summary>The parameters of DeleteDataset.</summary>
public sealed class DeleteDatasetRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the dataset to delete.</summary>
    public string DatasetArn { get; set; }
}

/// <summary>The result of DeleteDataset (no members).</summary>
public sealed class DeleteDatasetResponse : AmazonRekognitionResponse
{
}
