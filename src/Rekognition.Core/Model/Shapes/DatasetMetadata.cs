// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>A summary of one of a project's datasets.</summary>
public sealed class DatasetMetadata
{
    /// <summary>When the dataset was created.</summary>
    public DateTime? CreationTimestamp { get; set; }
    /// <summary>Whether the dataset is the project's training (TRAIN) or test (TEST) dataset.</summary>
    public DatasetType DatasetType { get; set; }
    /// <summary>The ARN of the dataset.</summary>
    public string DatasetArn { get; set; }
    /// <summary>The dataset's status.</summary>
    public DatasetStatus Status { get; set; }
    /// <summary>A message about the dataset's status, such as why an operation failed.</summary>
    public string StatusMessage { get; set; }
    /// <summary>Whether the last dataset operation succeeded or failed through the service's or the caller's fault.</summary>
    public DatasetStatusMessageCode StatusMessageCode { get; set; }
}
