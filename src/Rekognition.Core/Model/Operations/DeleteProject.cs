// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// DeleteProject: request and response members as named in the service's API model.

public sealed class DeleteProjectRequest : AmazonRekognitionRequest
{
    public string ProjectArn { get; set; }
}

public sealed class DeleteProjectResponse : AmazonRekognitionResponse
{
    public ProjectStatus Status { get; set; }
}
