using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Core.Storage;

/// <summary>
/// An object of a remote bucket as the file the readers of manifests and images take: fetched whole into a temporary
/// file that goes when it is closed (so it can be measured and seeked, and nothing stale is kept).
/// </summary>
internal static class RemoteBucketFile
{
    /// <summary>The object's bytes in a temporary file at position 0, or null with why.</summary>
    public static FileStream? Open(IBucketStore buckets, string bucket, string key, out ConfinedOpenFailure failure)
    {
        // Callers are synchronous (the line validators, the image probe) and run on background threads, where
        // blocking on the fetch cannot deadlock.
        var (file, why) = OpenAsync(buckets, bucket, key).GetAwaiter().GetResult();
        failure = why;
        return file;
    }

    private static async Task<(FileStream? File, ConfinedOpenFailure Failure)> OpenAsync(IBucketStore buckets, string bucket, string key)
    {
        var read = await buckets.OpenReadAsync(bucket, key).ConfigureAwait(false);
        if (read.Content is not { } content)
        {
            return (null, read.Failure == BucketReadFailure.AccessDenied ? ConfinedOpenFailure.AccessDenied : ConfinedOpenFailure.NotFound);
        }

        await using (content.ConfigureAwait(false))
        {
            var path = Path.Combine(Path.GetTempPath(), $"rk-bucket-{Guid.NewGuid():N}.tmp");
            var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            try
            {
                await content.CopyToAsync(file).ConfigureAwait(false);
                file.Position = 0;
                return (file, ConfinedOpenFailure.None);
            }
            catch
            {
                await file.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }
}
