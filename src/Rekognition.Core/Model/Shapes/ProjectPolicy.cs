// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

public sealed class ProjectPolicy
{
    public string ProjectArn { get; set; }
    public string PolicyName { get; set; }
    public string PolicyRevisionId { get; set; }
    public string PolicyDocument { get; set; }
    public DateTime? CreationTimestamp { get; set; }
    public DateTime? LastUpdatedTimestamp { get; set; }
}
