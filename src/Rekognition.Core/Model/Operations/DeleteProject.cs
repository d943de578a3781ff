// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DeleteProject: request and response members as named in the service's API model.

/// <summary>The parameters of DeleteProject.</summary>
public sealed class DeleteProjectRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the project to delete.</summary>
    public string ProjectArn { get; set; }
}

/// <summary>The result of DeleteProject.</summary>
public sealed class DeleteProjectResponse : AmazonRekognitionResponse
{
    /// <summary>The project's status after the call (DELETING).</summary>
    public ProjectStatus Status { get; set; }
}
