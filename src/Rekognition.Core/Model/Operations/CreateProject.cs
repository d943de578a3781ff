// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// CreateProject: request and response members as named in the service's API model.

/// <summary>The parameters of CreateProject: creates a project that holds datasets and model versions.</summary>
public sealed class CreateProjectRequest : AmazonRekognitionRequest
{
    /// <summary>The name of the project to create.</summary>
    public string ProjectName { get; set; }
    /// <summary>What the project customizes; CUSTOM_LABELS when not given.</summary>
    public CustomizationFeature Feature { get; set; }
    /// <summary>Whether the service should try to retrain the project's versions automatically (adapters only).</summary>
    public ProjectAutoUpdate AutoUpdate { get; set; }
    /// <summary>Tags (key-value pairs) to attach to the project.</summary>
    public Dictionary<string, string> Tags { get; set; } = new();
}

/// <summary>The result of CreateProject.</summary>
public sealed class CreateProjectResponse : AmazonRekognitionResponse
{
    /// <summary>The ARN of the new project.</summary>
    public string ProjectArn { get; set; }
}
