using Rekognition.Core.Model;

namespace Rekognition.Core.Storage;

/// <summary>
/// A folder of a bucket that results are written to (<c>s3://bucket/prefix</c>, the prefix ending with '/'), written
/// through the buckets provider (<see cref="IBucketStore"/>: confined beneath the buckets root, or S3 itself). The bucket
/// and prefix were checked by <see cref="S3Names"/> when the request came.
/// </summary>
internal sealed class BucketFolder
{
    private readonly IBucketStore _buckets;

    public BucketFolder(IBucketStore buckets, string bucket, string prefix)
    {
        _buckets = buckets;
        Bucket = bucket;
        Prefix = prefix;
        if (S3Names.BucketProblem(bucket) is { } bucketProblem || S3Names.KeyProblem(prefix, isPrefix: true) is { } prefixProblem || prefix.Length == 0 || prefix[^1] != '/')
        {
            throw new ArgumentException($"s3://{bucket}/{prefix} is not a bucket folder.");
        }
    }

    public string Bucket { get; }

    public string Prefix { get; }

    /// <summary>Where a file of this folder is, as the service names it.</summary>
    public S3Object Object(string fileName) => new() { Bucket = Bucket, Name = Prefix + fileName };

    /// <summary>Writes a file of this folder (whole or not at all).</summary>
    /// <exception cref="Confinement.PathEscapeException">A folder on the way is a link out of the buckets root.</exception>
    /// <exception cref="BucketAccessException">The bucket does not exist or may not be written.</exception>
    public Task WriteAsync(string fileName, Func<Stream, Task> write) => _buckets.WriteAsync(Bucket, Prefix + fileName, write);

    /// <summary>Opens a file of this folder.</summary>
    public Task<BucketRead> OpenReadAsync(string fileName, CancellationToken cancellationToken = default) => _buckets.OpenReadAsync(Bucket, Prefix + fileName, cancellationToken);

    /// <summary>Whether a file of this folder is there.</summary>
    public Task<bool> ExistsAsync(string fileName, CancellationToken cancellationToken = default) => _buckets.ExistsAsync(Bucket, Prefix + fileName, cancellationToken);

    /// <summary>Copies the content of a stream into a file of this folder.</summary>
    public Task CopyAsync(string fileName, Stream content) => WriteAsync(fileName, target => content.CopyToAsync(target));
}
