// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// PutProjectPolicy: request and response members as named in the service's API model.

/// <summary>The parameters of PutProjectPolicy: attaches or replaces a policy that lets another account copy the project's models.</summary>
public sealed class PutProjectPolicyRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the project the policy is attached to.</summary>
    public string ProjectArn { get; set; }
    /// <summary>The name of the policy.</summary>
    public string PolicyName { get; set; }
    /// <summary>The revision being replaced; none to create a new policy.</summary>
    public string PolicyRevisionId { get; set; }
    /// <summary>The policy as a JSON document in IAM policy syntax.</summary>
    public string PolicyDocument { get; set; }
}

/// <summary>The result of PutProjectPolicy.</summary>
public sealed class PutProjectPolicyResponse : AmazonRekognitionResponse
{
    /// <summary>The new revision id of the policy.</summary>
    public string PolicyRevisionId { get; set; }
}
