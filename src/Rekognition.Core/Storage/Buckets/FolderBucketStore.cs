using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Core.Storage;

/// <summary>
/// The default buckets: each bucket is a folder of the buckets root, every read and write confined beneath it (a key
/// with "." or ".." segments, or a symbolic link on the way out of the root, is refused as an object one may not access).
/// </summary>
internal sealed class FolderBucketStore(ConfinedDirectory root) : IBucketStore
{
    /// <summary>The buckets root.</summary>
    public ConfinedDirectory Root { get; } = root;

    public Task<BucketRead> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        if (Path(bucket, key) is not { } path)
        {
            return Task.FromResult(BucketRead.Failed(BucketReadFailure.AccessDenied));
        }

        var stream = Root.OpenRead(path, out var failure, 1 << 16);
        return Task.FromResult(stream is not null
            ? BucketRead.Opened(stream)
            : BucketRead.Failed(failure is ConfinedOpenFailure.OutsideRoot or ConfinedOpenFailure.InvalidPath ? BucketReadFailure.AccessDenied : BucketReadFailure.NotFound));
    }

    public Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(Path(bucket, key) is { } path && Root.FileExists(path));

    /// <exception cref="PathEscapeException">A folder on the way is a link out of the buckets root.</exception>
    public Task WriteAsync(string bucket, string key, Func<Stream, Task> write, CancellationToken cancellationToken = default) =>
        Path(bucket, key) is { } path
            ? Root.WriteFileAsync(path, write)
            : throw new BucketAccessException(bucket, $"s3://{bucket}/{key} is not an object key that can be written.");

    private static string? Path(string bucket, string key) =>
        S3Names.BucketProblem(bucket) is null && RelativePath.TrySplit($"{bucket}/{key}", out _) ? $"{bucket}/{key}" : null;
}
