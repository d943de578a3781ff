namespace Rekognition.Core.Storage;

/// <summary>
/// The store's objects, addressed by keys: the contract an object store provider implements (the local folder,
/// <see cref="LocalFolderObjectStore"/>, by default; S3 in the Rekognition.S3 package). Keys are relative and
/// '/'-separated, built by the store from ids it made; a provider refuses keys with empty, "." or ".." segments,
/// backslashes or NUL with <see cref="ArgumentException"/>.
/// </summary>
/// <remarks>
/// What every provider guarantees (the shared contract tests check each one):
/// <list type="bullet">
/// <item><b>Atomic puts.</b> A reader sees the old object or the new one whole, never part of one; a put that fails
/// (the writer throws, the connection drops) leaves the old object, or none, as it was.</item>
/// <item><b>Put-if-absent has exactly one winner.</b> Of several writers creating the same key at once (in one process
/// or on several hosts), exactly one gets true and its bytes are the object; the others get false and write nothing.</item>
/// <item><b>Reads after writes.</b> Once a put has returned, every host reads the new object.</item>
/// <item><b><see cref="GetLocalFileAsync"/> is read-through.</b> It returns a local file with the object's bytes:
/// the object's own file for a local folder, a copy fetched once into a bounded local cache for a remote store, fetched
/// again after this store writes the key.</item>
/// <item>Failures of the store itself (unreachable, access denied, no such bucket) surface as exceptions whose
/// message says which store and what to fix; a missing object is never an exception (null or false).</item>
/// </list>
/// </remarks>
public interface IObjectStore
{
    /// <summary>Writes the object at <paramref name="key"/> with what <paramref name="write"/> puts in the stream; the old object stays until it is whole.</summary>
    Task PutAsync(string key, Func<Stream, Task> write, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the object at <paramref name="key"/> only when there is none (put-if-absent): of several writers at once
    /// exactly one creates it and the others get false, and nobody ever reads half an object. <paramref name="ownerOnly"/>:
    /// a secret, readable by the store's owner only.
    /// </summary>
    Task<bool> PutIfAbsentAsync(string key, Func<Stream, Task> write, bool ownerOnly = false, CancellationToken cancellationToken = default);

    /// <summary>Opens the object at <paramref name="key"/> for reading; null when there is none.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Whether an object is at <paramref name="key"/>.</summary>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The keys beneath <paramref name="prefix"/> (a folder-like prefix, without its trailing '/'), in no set order.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes every object beneath <paramref name="prefix"/>; nothing when there is none.</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// A local file holding the object at <paramref name="key"/>, for what must be a real file (an ONNX model for ONNX
    /// Runtime, a memory-mapped cache): the file itself for the local folder, a read-through cached copy for a remote
    /// store. Read it only; null when there is no such object.
    /// </summary>
    Task<string?> GetLocalFileAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>Conveniences over <see cref="IObjectStore"/>.</summary>
internal static class ObjectStoreExtensions
{
    /// <summary>Writes the object at <paramref name="key"/> with the bytes of <paramref name="content"/> (read from its position to its end).</summary>
    public static Task PutAsync(this IObjectStore store, string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return store.PutAsync(key, target => content.CopyToAsync(target, cancellationToken), cancellationToken);
    }

    /// <summary>Writes the object at <paramref name="key"/> with a copy of a local file.</summary>
    public static async Task PutFileAsync(this IObjectStore store, string key, string localFile, CancellationToken cancellationToken = default)
    {
        await using var source = new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await store.PutAsync(key, source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the object at <paramref name="key"/> with one line (UTF-8, the platform's line end) per item of <paramref name="lines"/>.</summary>
    public static Task PutLinesAsync(this IObjectStore store, string key, IEnumerable<string> lines, CancellationToken cancellationToken = default) =>
        store.PutAsync(key, async stream =>
        {
            await using var writer = new StreamWriter(stream, leaveOpen: true);
            foreach (var line in lines)
            {
                await writer.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);

    /// <summary>Opens the object at <paramref name="key"/>, which the caller's own work put there; an <see cref="IOException"/> when it is gone.</summary>
    public static async Task<Stream> OpenExistingAsync(this IObjectStore store, string key, CancellationToken cancellationToken = default) =>
        await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false)
        ?? throw new IOException("An object this work wrote is no longer in the store.");
}
