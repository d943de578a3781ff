using System.Security.Cryptography;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Requests;

/// <summary>
/// The store's secret for signing pagination tokens: 32 random bytes in <c>pagination.key</c> under the
/// store root, created once (owner read/write only) and read by every later process on the same store,
/// so tokens survive a restart and a token of another store is refused.
/// </summary>
internal static class PaginationKey
{
    public const string FileName = "pagination.key";
    public const int Length = 32;

    /// <summary>The key of the store at <paramref name="storeRoot"/>, created on first use.</summary>
    public static byte[] LoadOrCreate(string storeRoot)
    {
        var path = Path.Combine(storeRoot, FileName);
        if (!File.Exists(path))
        {
            TryCreate(path);
        }

        var key = File.ReadAllBytes(path);
        if (key.Length != Length)
        {
            throw new InvalidOperationException(
                $"The store's {FileName} holds {key.Length} bytes instead of {Length}; delete it to make a new one (pagination tokens issued before then stop working).");
        }

        return key;
    }

    // Written under a temporary name and moved into place without overwriting, so two processes opening
    // a new store at once agree on one key and neither ever reads a half-written file.
    private static void TryCreate(string path)
    {
        using var file = AtomicFile.Begin(path, flushToDisk: true, unixCreateMode: UnixFileMode.UserRead | UnixFileMode.UserWrite);
        file.Stream.Write(RandomNumberGenerator.GetBytes(Length));
        file.Commit(overwrite: false); // false: another process created it first, and theirs is used
    }
}
