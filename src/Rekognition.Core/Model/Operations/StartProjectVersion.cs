// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// StartProjectVersion: request and response members as named in the service's API model.

/// <summary>The parameters of StartProjectVersion: starts a trained model version so it can detect labels.</summary>
public sealed class StartProjectVersionRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the model version to start.</summary>
    public string ProjectVersionArn { get; set; }
    /// <summary>The number of inference units to start with (at least 1).</summary>
    public int? MinInferenceUnits { get; set; }
    /// <summary>The most inference units auto-scaling may use; no auto-scaling when not given.</summary>
    public int? MaxInferenceUnits { get; set; }
}

/// <summary>The result of StartProjectVersion.</summary>
public sealed class StartProjectVersionResponse : AmazonRekognitionResponse
{
    /// <summary>The model version's status after the call (STARTING).</summary>
    public ProjectVersionStatus Status { get; set; }
}
