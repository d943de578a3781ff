// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DeleteProjectVersion: request and response members as named in the service's API model.

/// <summary>The parameters of DeleteProjectVersion.</summary>
public sealed class DeleteProjectVersionRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the model version to delete.</summary>
    public string ProjectVersionArn { get; set; }
}

/// <summary>The result of DeleteProjectVersion.</summary>
public sealed class DeleteProjectVersionResponse : AmazonRekognitionResponse
{
    /// <summary>The model version's status after the call (DELETING).</summary>
    public ProjectVersionStatus Status { get; set; }
}
