using Rekognition.Core.Model;
using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Core.Storage;

/// <summary>
/// A folder of a bucket that results are written to (<c>s3://bucket/prefix</c>, the prefix ending with '/'), every
/// write confined beneath the buckets root. The bucket and prefix were checked by <see cref="S3Names"/> when the
/// request came; the confinement also refuses symbolic links that would lead a write out.
/// </summary>
internal sealed class BucketFolder
{
    private readonly ConfinedDirectory _buckets;

    public BucketFolder(ConfinedDirectory buckets, string bucket, string prefix)
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
    /// <exception cref="PathEscapeException">A folder on the way is a link out of the buckets root.</exception>
    public Task WriteAsync(string fileName, Func<Stream, Task> write) => _buckets.WriteFileAsync($"{Bucket}/{Prefix}{fileName}", write);

    /// <summary>Copies the content of a stream into a file of this folder.</summary>
    public Task CopyAsync(string fileName, Stream content) => WriteAsync(fileName, target => content.CopyToAsync(target));
}
