using System.Net;

namespace Rekognition.Core;

/// <summary>Base of every response, as in the AWS SDK for .NET: the HTTP status and request metadata.</summary>
public abstract class AmazonWebServiceResponse
{
    public HttpStatusCode HttpStatusCode { get; set; } = HttpStatusCode.OK;

    public ResponseMetadata ResponseMetadata { get; set; } = new();

    public long ContentLength { get; set; }
}

/// <summary>Metadata of one answered request.</summary>
public sealed class ResponseMetadata
{
    public string RequestId { get; set; } = Guid.NewGuid().ToString();

    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>();
}

/// <summary>Base of every request, as in the AWS SDK for .NET.</summary>
public abstract class AmazonRekognitionRequest
{
}
