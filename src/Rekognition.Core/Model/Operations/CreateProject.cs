// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// CreateProject: request and response members as named in the service's API model.

public sealed class CreateProjectRequest : AmazonRekognitionRequest
{
    public string ProjectName { get; set; }
    public CustomizationFeature Feature { get; set; }
    public ProjectAutoUpdate AutoUpdate { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new();
}

public sealed class CreateProjectResponse : AmazonRekognitionResponse
{
    public string ProjectArn { get; set; }
}
