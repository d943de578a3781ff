// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

public sealed class ProjectDescription
{
    public string ProjectArn { get; set; }
    public DateTime? CreationTimestamp { get; set; }
    public ProjectStatus Status { get; set; }
    public List<DatasetMetadata> Datasets { get; set; } = new();
    public CustomizationFeature Feature { get; set; }
    public ProjectAutoUpdate AutoUpdate { get; set; }
}
