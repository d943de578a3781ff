// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// CreateProjectVersion: request and response members as named in the service's API model.

/// <summary>The parameters of CreateProjectVersion: trains a new model version of a project.</summary>
public sealed class CreateProjectVersionRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the project whose datasets train the version.</summary>
    public string ProjectArn { get; set; }
    /// <summary>The name of the model version, unique within the project.</summary>
    public string VersionName { get; set; }
    /// <summary>The bucket and key prefix where the training results are written.</summary>
    public OutputConfig OutputConfig { get; set; }
    /// <summary>Legacy: an external training manifest, only for a project without datasets; needs <see cref="TestingData"/> too.</summary>
    public TrainingData TrainingData { get; set; }
    /// <summary>Legacy: an external test manifest, or <c>AutoCreate</c> to split the training data 80/20.</summary>
    public TestingData TestingData { get; set; }
    /// <summary>Tags (key-value pairs) to attach to the model version.</summary>
    public Dictionary<string, string> Tags { get; set; } = new();
    /// <summary>The KMS key the service would encrypt training images and results with (recorded, not used locally).</summary>
    public string KmsKeyId { get; set; }
    /// <summary>A description of the model version.</summary>
    public string VersionDescription { get; set; }
    /// <summary>Training settings for the project's feature; must match the project's feature type.</summary>
    public CustomizationFeatureConfig FeatureConfig { get; set; }
}

/// <summary>The result of CreateProjectVersion.</summary>
public sealed class CreateProjectVersionResponse : AmazonRekognitionResponse
{
    /// <summary>The ARN of the model version being trained.</summary>
    public string ProjectVersionArn { get; set; }
}
