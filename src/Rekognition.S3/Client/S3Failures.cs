using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Rekognition.S3.Client;

/// <summary>What went wrong with an S3 call, in the words an operator acts on.</summary>
internal static class S3Failures
{
    public static bool IsNotFound(AmazonS3Exception exception) =>
        exception.StatusCode == HttpStatusCode.NotFound && exception.ErrorCode is not "NoSuchBucket";

    public static bool IsNoSuchBucket(AmazonS3Exception exception) => exception.ErrorCode == "NoSuchBucket";

    public static bool IsAccessDenied(AmazonS3Exception exception) =>
        exception.StatusCode == HttpStatusCode.Forbidden || exception.ErrorCode is "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch";

    /// <summary>Whether the server could not be reached at all (refused, unknown host, timed out), after the SDK's retries.</summary>
    public static bool IsUnreachable(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException or SocketException or TimeoutException || inner is TaskCanceledException && exception is AmazonServiceException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The exception an operator sees when a store's own bucket cannot be used: which bucket, where, and what to do.
    /// Null when <paramref name="exception"/> is not about the store itself (the caller rethrows it).
    /// </summary>
    public static Exception? ForStore(Exception exception, string bucket, string endpoint, string setting) => exception switch
    {
        AmazonS3Exception s3 when IsNoSuchBucket(s3) =>
            new InvalidOperationException($"The bucket '{bucket}' ({setting}) does not exist at {endpoint}: create it, or name an existing one.", exception),
        AmazonS3Exception s3 when IsAccessDenied(s3) =>
            new InvalidOperationException($"Access to the bucket '{bucket}' ({setting}) at {endpoint} is denied ({s3.ErrorCode}): check the credentials (the AWS SDK's standard chain, e.g. AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and the bucket's policy.", exception),
        _ when IsUnreachable(exception) =>
            new InvalidOperationException($"S3 at {endpoint} cannot be reached (Rekognition:S3:ServiceUrl): start it or correct the setting.", exception),
        _ => null,
    };
}
