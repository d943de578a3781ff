// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>A project's ARN, status, feature and datasets.</summary>
public sealed class ProjectDescription
{
    /// <summary>The ARN of the project.</summary>
    public string ProjectArn { get; set; }
    /// <summary>When the project was created.</summary>
    public DateTime? CreationTimestamp { get; set; }
    /// <summary>The project's status.</summary>
    public ProjectStatus Status { get; set; }
    /// <summary>The project's training and test datasets.</summary>
    public List<DatasetMetadata> Datasets { get; set; } = new();
    /// <summary>What the project customizes.</summary>
    public CustomizationFeature Feature { get; set; }
    /// <summary>Whether the project's versions are retrained automatically (adapters only).</summary>
    public ProjectAutoUpdate AutoUpdate { get; set; }
}
