using System.Security.Cryptography;

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
            TryCreate(storeRoot, path);
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
    private static void TryCreate(string storeRoot, string path)
    {
        var temporary = Path.Combine(storeRoot, $"{FileName}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(RandomNumberGenerator.GetBytes(Length));
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
