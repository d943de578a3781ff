// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// ListTagsForResource: request and response members as named in the service's API model.

/// <summary>The parameters of ListTagsForResource.</summary>
public sealed class ListTagsForResourceRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the project, dataset or model version whose tags to list.</summary>
    public string ResourceArn { get; set; }
}

/// <summary>The result of ListTagsForResource.</summary>
public sealed class ListTagsForResourceResponse : AmazonRekognitionResponse
{
    /// <summary>The resource's tags (key-value pairs).</summary>
    public Dictionary<string, string> Tags { get; set; } = new();
}
