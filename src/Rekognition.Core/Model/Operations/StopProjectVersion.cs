// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// StopProjectVersion: request and response members as named in the service's API model.

/// <summary>The parameters of StopProjectVersion.</summary>
public sealed class StopProjectVersionRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the running model version to stop.</summary>
    public string ProjectVersionArn { get; set; }
}

/// <summary>The result of StopProjectVersion.</summary>
public sealed class StopProjectVersionResponse : AmazonRekognitionResponse
{
    /// <summary>The model version's status after the call (STOPPING).</summary>
    public ProjectVersionStatus Status { get; set; }
}
