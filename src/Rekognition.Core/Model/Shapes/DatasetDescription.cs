// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>A dataset's status, timestamps and entry counts.</summary>
public sealed class DatasetDescription
{
    /// <summary>When the dataset was created.</summary>
    public DateTime? CreationTimestamp { get; set; }
    /// <summary>When the dataset was last changed.</summary>
    public DateTime? LastUpdatedTimestamp { get; set; }
    /// <summary>The dataset's status.</summary>
    public DatasetStatus Status { get; set; }
    /// <summary>A message about the dataset's status, such as why an operation failed.</summary>
    public string StatusMessage { get; set; }
    /// <summary>Whether the last dataset operation succeeded or failed through the service's or the caller's fault.</summary>
    public DatasetStatusMessageCode StatusMessageCode { get; set; }
    /// <summary>The dataset's entry and label counts.</summary>
    public DatasetStats DatasetStats { get; set; }
}
