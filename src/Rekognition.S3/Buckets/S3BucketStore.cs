using Amazon.S3;
using Rekognition.Core.Storage;
using Rekognition.S3.Client;
using Rekognition.S3.Objects;

namespace Rekognition.S3.Buckets;

/// <summary>
/// <c>s3://bucket/key</c> as S3 itself: manifests, images and output folders read and written through the S3 API. A
/// missing bucket or object reads as not found, a refused one as denied (the services answer the service's errors for
/// them); a write to a missing or refused bucket is a <see cref="BucketAccessException"/>. An unreachable S3 is an
/// exception of its own (the operator's problem, not the caller's).
/// </summary>
internal sealed class S3BucketStore(IAmazonS3 client, bool chunkEncoding, string endpoint) : IBucketStore
{
    public async Task<BucketRead> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        if (!ObjectKeys.IsLocation(bucket, key))
        {
            return BucketRead.Failed(BucketReadFailure.NotFound);
        }

        try
        {
            var response = await Reach(() => client.GetObjectAsync(bucket, key, cancellationToken)).ConfigureAwait(false);
            return BucketRead.Opened(new S3ObjectStream(response));
        }
        catch (AmazonS3Exception e) when (S3Failures.IsAccessDenied(e))
        {
            return BucketRead.Failed(BucketReadFailure.AccessDenied);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return BucketRead.Failed(BucketReadFailure.NotFound); // NoSuchKey or NoSuchBucket
        }
    }

    public async Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        if (!ObjectKeys.IsLocation(bucket, key))
        {
            return false;
        }

        try
        {
            await Reach(() => client.GetObjectMetadataAsync(bucket, key, cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (S3Failures.IsAccessDenied(e) || e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task WriteAsync(string bucket, string key, Func<Stream, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (!ObjectKeys.IsLocation(bucket, key))
        {
            throw new BucketAccessException(bucket, $"s3://{bucket}/{key} is not an object key that can be written.");
        }

        await using var body = await UploadBody.SpoolAsync(write, cancellationToken).ConfigureAwait(false);
        var request = UploadBody.Put(bucket, key, body, chunkEncoding);
        try
        {
            await Reach(() => client.PutObjectAsync(request, cancellationToken)).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (S3Failures.IsNoSuchBucket(e))
        {
            throw new BucketAccessException(bucket, $"Unable to write to output S3 bucket: the bucket '{bucket}' does not exist.", e);
        }
        catch (AmazonS3Exception e) when (S3Failures.IsAccessDenied(e))
        {
            throw new BucketAccessException(bucket, $"Unable to write to output S3 bucket: access to the bucket '{bucket}' is denied.", e);
        }
    }

    // An S3 that cannot be reached is the store's problem: a message for the operator, no caller error code.
    private async Task<T> Reach<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not AmazonS3Exception && S3Failures.IsUnreachable(e))
        {
            throw new InvalidOperationException($"S3 at {endpoint} cannot be reached (Rekognition:S3:ServiceUrl): start it or correct the setting.", e);
        }
    }
}
