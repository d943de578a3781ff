// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// CopyProjectVersion: request and response members as named in the service's API model.

/// <summary>The parameters of CopyProjectVersion: copies a trained model version into another project.</summary>
public sealed class CopyProjectVersionRequest : AmazonRekognitionRequest
{
    /// <summary>The project holding the model to copy (in the trusting account).</summary>
    public string SourceProjectArn { get; set; }
    /// <summary>The model version to copy.</summary>
    public string SourceProjectVersionArn { get; set; }
    /// <summary>The project that receives the copy (in this client's account).</summary>
    public string DestinationProjectArn { get; set; }
    /// <summary>The copy's name in the destination project.</summary>
    public string VersionName { get; set; }
    /// <summary>Where the source version's training results (evaluation summary and files) are copied.</summary>
    public OutputConfig OutputConfig { get; set; }
    /// <summary>Tags (key-value pairs) to attach to the copied model version.</summary>
    public Dictionary<string, string> Tags { get; set; } = new();
    /// <summary>The KMS key the service would encrypt the copy's results and manifests with (recorded, not used locally).</summary>
    public string KmsKeyId { get; set; }
}

/// <summary>The result of CopyProjectVersion.</summary>
public sealed class CopyProjectVersionResponse : AmazonRekognitionResponse
{
    /// <summary>The ARN of the copy in the destination project.</summary>
    public string ProjectVersionArn { get; set; }
}
