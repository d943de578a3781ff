// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// TagResource: request and response members as named in the service's API model.

/// <summary>The parameters of TagResource: adds or replaces tags on a resource.</summary>
public sealed class TagResourceRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the project, dataset or model version to tag.</summary>
    public string ResourceArn { get; set; }
    /// <summary>The tags (key-value pairs) to add or replace.</summary>
    public Dictionary<string, string> Tags { get; set; } = new();
}

/// <summary>The result of TagResource (no members).</summary>
public sealed class TagResourceResponse : AmazonRekognitionResponse
{
}
