namespace Rekognition.Core;

/// <summary>Base of every request, named as the AWS SDK for .NET names it (<c>Amazon.Rekognition.AmazonRekognitionRequest</c>).</summary>
/// <remarks>
/// Not derived from AWSSDK.Core's <c>AmazonWebServiceRequest</c>: that type carries the SDK's HTTP
/// pipeline (signing, checksums, request events), which means nothing in process, and its public members
/// would become JSON members of the server's wire requests. Ported code builds requests with
/// <c>new XRequest { ... }</c>, which does not depend on the base.
/// </remarks>
public abstract class AmazonRekognitionRequest
{
}
