// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DescribeDataset: request and response members as named in the service's API model.

/// <summary>The parameters of DescribeDataset.</summary>
public sealed class DescribeDatasetRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the dataset to describe.</summary>
    public string DatasetArn { get; set; }
}

/// <summary>The result of DescribeDataset.</summary>
public sealed class DescribeDatasetResponse : AmazonRekognitionResponse
{
    /// <summary>The dataset's status, timestamps and entry counts.</summary>
    public DatasetDescription DatasetDescription { get; set; }
}
