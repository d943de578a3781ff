// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DeleteProjectPolicy: request and response members as named in the service's API model.

/// <summary>The parameters of DeleteProjectPolicy: removes a policy from a project.</summary>
public sealed class DeleteProjectPolicyRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the project the policy is attached to.</summary>
    public string ProjectArn { get; set; }
    /// <summary>The name of the policy to delete.</summary>
    public string PolicyName { get; set; }
    /// <summary>The revision to delete; when given it must be the policy's current revision.</summary>
    public string PolicyRevisionId { get; set; }
}

/// <summary>The result of DeleteProjectPolicy (no members).</summary>
public sealed class DeleteProjectPolicyResponse : AmazonRekognitionResponse
{
}
