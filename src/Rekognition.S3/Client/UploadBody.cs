using Amazon.S3.Model;

namespace Rekognition.S3.Client;

/// <summary>
/// A body to upload, written whole to a local temporary file first: the upload knows its length and can be retried,
/// and a writer that fails half-way uploads nothing. The file goes when the stream is closed.
/// </summary>
internal static class UploadBody
{
    public static async Task<FileStream> SpoolAsync(Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rk-s3-{Guid.NewGuid():N}.tmp");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            await write(file).ConfigureAwait(false);
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The put of a spooled <paramref name="body"/> (left open, rewound on a retry) to s3://bucket/key.</summary>
    public static PutObjectRequest Put(string bucket, string key, Stream body, bool chunkEncoding) => new()
    {
        BucketName = bucket,
        Key = key,
        InputStream = body,
        AutoCloseStream = false,
        AutoResetStreamPosition = true,
        UseChunkEncoding = chunkEncoding,
    };
}
