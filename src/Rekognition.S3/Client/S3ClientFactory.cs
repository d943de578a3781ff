using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Rekognition.Core;

namespace Rekognition.S3.Client;

/// <summary>The S3 client both providers share, made from <c>Rekognition:S3</c>; credentials from the AWS SDK's standard chain.</summary>
internal static class S3ClientFactory
{
    public static AmazonS3Client Create(S3Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            // Signatures name a region even on an S3-compatible server; us-east-1 is what such servers expect by default.
            config.AuthenticationRegion = string.IsNullOrWhiteSpace(options.Region) ? "us-east-1" : options.Region;
        }
        else if (!string.IsNullOrWhiteSpace(options.Region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        if (options.DisableChunkEncoding)
        {
            // Servers that do not decode aws-chunked uploads store the chunk signatures inside the object; optional
            // checksums would ask for that encoding again, so only the ones S3 requires are sent or checked.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        return new AmazonS3Client(config);
    }

    /// <summary>Where the client goes, for messages to the operator (the endpoint or AWS's region).</summary>
    public static string Describe(S3Options options) =>
        !string.IsNullOrWhiteSpace(options.ServiceUrl) ? options.ServiceUrl! : $"AWS S3 ({(string.IsNullOrWhiteSpace(options.Region) ? "default region" : options.Region)})";
}
