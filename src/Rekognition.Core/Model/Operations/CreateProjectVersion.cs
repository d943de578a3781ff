// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// CreateProjectVersion: request and response members as named in the service's API model.

public sealed class CreateProjectVersionRequest : AmazonRekognitionRequest
{
    public string ProjectArn { get; set; }
    public string VersionName { get; set; }
    public OutputConfig OutputConfig { get; set; }
    /// <summary>Legacy: an external training manifest, only for a project without datasets; needs <see cref="TestingData"/> too.</summary>
    public TrainingData TrainingData { get; set; }
    /// <summary>Legacy: an external test manifest, or <c>AutoCreate</c> to split the training data 80/20.</summary>
    public TestingData TestingData { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new();
    public string KmsKeyId { get; set; }
    public string VersionDescription { get; set; }
    public CustomizationFeatureConfig FeatureConfig { get; set; }
}

public sealed class CreateProjectVersionResponse : AmazonRekognitionResponse
{
    public string ProjectVersionArn { get; set; }
}
