// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// UntagResource: request and response members as named in the service's API model.

/// <summary>The parameters of UntagResource: removes tags from a resource.</summary>
public sealed class UntagResourceRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the project, dataset or model version to untag.</summary>
    public string ResourceArn { get; set; }
    /// <summary>The keys of the tags to remove.</summary>
    public List<string> TagKeys { get; set; } = new();
}

/// <summary>The result of UntagResource (no members).</summary>
public sealed class UntagResourceResponse : AmazonRekognitionResponse
{
}
