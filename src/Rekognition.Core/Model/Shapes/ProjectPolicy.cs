// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>A policy attached to a project.</summary>
public sealed class ProjectPolicy
{
    /// <summary>The ARN of the project the policy is attached to.</summary>
    public string ProjectArn { get; set; }
    /// <summary>The name of the policy.</summary>
    public string PolicyName { get; set; }
    /// <summary>The policy's current revision id.</summary>
    public string PolicyRevisionId { get; set; }
    /// <summary>The policy as a JSON document.</summary>
    public string PolicyDocument { get; set; }
    /// <summary>When the policy was created.</summary>
    public DateTime? CreationTimestamp { get; set; }
    /// <summary>When the policy was last changed.</summary>
    public DateTime? LastUpdatedTimestamp { get; set; }
}
