using System.Security.Cryptography;
using System.Text;
using Rekognition.Core.Catalog;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Editing;

/// <summary>
/// Thumbnails kept in the store's objects (the local folder or S3), so another host or a restart serves them without
/// decoding the image again. A thumbnail is named by the dataset's id and a hash of its ARN, the entry's source-ref
/// and the thumbnail's size: a re-created dataset (a new ARN) never finds an old one.
/// </summary>
internal sealed class StoredThumbnails(Store store)
{
    /// <summary>Largest stored thumbnail read back (a thumbnail is a few kB; anything larger is not one of ours).</summary>
    private const int MaxBytes = 4 << 20;

    public async Task<byte[]?> ReadAsync(DatasetRecord dataset, string sourceRef, int side, CancellationToken cancellationToken)
    {
        var stream = await store.Objects.OpenReadAsync(Key(dataset, sourceRef, side), cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.Length is > 0 and <= MaxBytes ? buffer.ToArray() : null;
        }
    }

    public Task WriteAsync(DatasetRecord dataset, string sourceRef, int side, ReadOnlyMemory<byte> thumbnail, CancellationToken cancellationToken) =>
        store.Objects.PutAsync(Key(dataset, sourceRef, side), s => s.WriteAsync(thumbnail, cancellationToken).AsTask(), cancellationToken);

    private static string Key(DatasetRecord dataset, string sourceRef, int side)
    {
        var identity = Encoding.UTF8.GetBytes($"{dataset.Arn}\n{sourceRef}\n{side}");
        return StoreLayout.Thumbnail(dataset.Id, Convert.ToHexStringLower(SHA256.HashData(identity)));
    }
}
