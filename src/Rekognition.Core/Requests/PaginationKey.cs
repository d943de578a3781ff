using System.Security.Cryptography;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Requests;

/// <summary>
/// The store's secret for signing pagination tokens: 32 random bytes in the store's <see cref="StoreLayout.PaginationKey"/>
/// object, created once (owner read/write only) and read by every later process on the same store, so tokens survive a
/// restart and a token of another store is refused.
/// </summary>
internal static class PaginationKey
{
    public const int Length = 32;

    /// <summary>The key of the store whose objects are <paramref name="objects"/>, created on first use (blocking: tools and tests).</summary>
    public static byte[] LoadOrCreate(IObjectStore objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        return LoadOrCreateAsync(objects).GetAwaiter().GetResult();
    }

    /// <summary>The key of the store whose objects are <paramref name="objects"/>, created on first use.</summary>
    public static async Task<byte[]> LoadOrCreateAsync(IObjectStore objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        // Put-if-absent: two processes opening a new store at once agree on one key (the first creator's), and neither
        // ever reads a half-written one.
        if (!await objects.ExistsAsync(StoreLayout.PaginationKey).ConfigureAwait(false))
        {
            await objects.PutIfAbsentAsync(StoreLayout.PaginationKey, stream => stream.WriteAsync(RandomNumberGenerator.GetBytes(Length)).AsTask(), ownerOnly: true)
                .ConfigureAwait(false);
        }

        await using var stream = await objects.OpenReadAsync(StoreLayout.PaginationKey).ConfigureAwait(false)
                                 ?? throw new InvalidOperationException($"The store's {StoreLayout.PaginationKey} cannot be read.");
        var key = new byte[Length + 1];
        var read = await stream.ReadAtLeastAsync(key, key.Length, throwOnEndOfStream: false).ConfigureAwait(false);
        if (read != Length)
        {
            var size = stream.CanSeek ? stream.Length : read;
            throw new InvalidOperationException(
                $"The store's {StoreLayout.PaginationKey} holds {size} bytes instead of {Length}; delete it to make a new one (pagination tokens issued before then stop working).");
        }

        return key[..Length];
    }
}
