namespace Rekognition.Core.Storage;

/// <summary>
/// The buckets that <c>s3://bucket/key</c> names in requests and manifests (manifests, <c>source-ref</c> images,
/// DetectCustomLabels <c>S3Object</c> images, <c>OutputConfig</c> folders): the contract a buckets provider implements.
/// A local folder stands for S3 by default (<c>&lt;BucketsRoot&gt;/bucket/key</c>); the Rekognition.S3 package reads and
/// writes S3 itself. Bucket names and keys are the caller's: a provider never lets one reach outside its buckets.
/// </summary>
public interface IBucketStore
{
    /// <summary>
    /// Opens <c>s3://bucket/key</c> for reading. A missing bucket or object is <see cref="BucketReadFailure.NotFound"/>,
    /// a refused one (denied, or a key that would leave its bucket) <see cref="BucketReadFailure.AccessDenied"/>.
    /// </summary>
    Task<BucketRead> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>Whether <c>s3://bucket/key</c> is an object that can be read.</summary>
    Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>Writes <c>s3://bucket/key</c> whole (a reader sees the old object or the new one, never part of one).</summary>
    /// <exception cref="BucketAccessException">The bucket does not exist or may not be written.</exception>
    Task WriteAsync(string bucket, string key, Func<Stream, Task> write, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of <see cref="IBucketStore.OpenReadAsync"/>: the object's content, or why there is none.</summary>
/// <param name="Content">The object's bytes (dispose it); null when <paramref name="Failure"/> says why not.</param>
/// <param name="Failure">Why nothing was opened.</param>
public readonly record struct BucketRead(Stream? Content, BucketReadFailure Failure)
{
    /// <summary>An opened object.</summary>
    public static BucketRead Opened(Stream content) => new(content, BucketReadFailure.None);

    /// <summary>Nothing opened, for <paramref name="failure"/>.</summary>
    public static BucketRead Failed(BucketReadFailure failure) => new(null, failure);
}

/// <summary>Why a bucket object could not be opened.</summary>
public enum BucketReadFailure
{
    /// <summary>It was opened.</summary>
    None,

    /// <summary>There is no such bucket or object.</summary>
    NotFound,

    /// <summary>Reading it is not allowed.</summary>
    AccessDenied,
}

/// <summary>A bucket that does not exist or may not be written (the service's "Unable to write to output S3 bucket").</summary>
public sealed class BucketAccessException : IOException
{
    /// <summary>A failure to use <paramref name="bucket"/>, saying why.</summary>
    public BucketAccessException(string bucket, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Bucket = bucket;
    }

    /// <summary>The bucket.</summary>
    public string Bucket { get; }
}
