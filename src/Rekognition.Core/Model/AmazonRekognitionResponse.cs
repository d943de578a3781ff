using System.Net;
using Amazon.Runtime;

namespace Rekognition.Core;

/// <summary>
/// Base of every response: AWSSDK.Core's <see cref="AmazonWebServiceResponse"/> (so ported code reading
/// <c>response.HttpStatusCode</c> or <c>response.ResponseMetadata.RequestId</c>, or handling any response as
/// an <see cref="AmazonWebServiceResponse"/>, compiles unchanged), filled in as the SDK fills it after a call:
/// status 200 and a request id of its own.
/// </summary>
public abstract class AmazonRekognitionResponse : AmazonWebServiceResponse
{
    /// <summary>A successful response with a new request id.</summary>
    protected AmazonRekognitionResponse()
    {
        HttpStatusCode = HttpStatusCode.OK;
        ResponseMetadata = new ResponseMetadata { RequestId = Guid.NewGuid().ToString() };
    }
}
