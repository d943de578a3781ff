using System.Runtime.CompilerServices;
using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Core.Storage;

/// <summary>
/// The embedded object store: each key is a file beneath one root folder, read and written through
/// <see cref="ConfinedDirectory"/>, so no key (nor a symbolic link planted beneath the root) reaches outside it.
/// Keys with empty, "." or ".." segments, backslashes or NUL are refused with <see cref="ArgumentException"/>.
/// </summary>
internal sealed class LocalFolderObjectStore : IObjectStore
{
    private readonly ConfinedDirectory _root;

    public LocalFolderObjectStore(string root, ConfinementMode? mode = null)
    {
        _root = new ConfinedDirectory(root, mode);
    }

    /// <summary>The root folder (operator configuration).</summary>
    public string Root => _root.Root;

    public Task PutAsync(string key, Func<Stream, Task> write, CancellationToken cancellationToken = default)
    {
        Check(key);
        cancellationToken.ThrowIfCancellationRequested();
        return _root.WriteFileAsync(key, write);
    }

    public Task<bool> PutIfAbsentAsync(string key, Func<Stream, Task> write, bool ownerOnly = false, CancellationToken cancellationToken = default)
    {
        Check(key);
        cancellationToken.ThrowIfCancellationRequested();
        return _root.CreateFileAsync(key, write, ownerOnly);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        return Task.FromResult<Stream?>(_root.OpenRead(key, out _, 1 << 16));
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        return Task.FromResult(_root.FileExists(key));
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (FolderBeneathRoot(prefix) is not { } folder)
        {
            yield break;
        }

        // Links are not followed: a link beneath the root is not an object of this store.
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(folder, "*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Path.GetFileName(file).StartsWith('.'))
            {
                continue; // a writer's temporary file (AtomicFile.TemporaryName), left by a crash: not an object
            }

            yield return prefix + "/" + Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        if (FolderBeneathRoot(prefix) is { } folder)
        {
            // Directory.Delete removes links it meets (and a linked prefix itself) without following them.
            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    public Task<string?> GetLocalFileAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        // The file itself, once the confined open shows it is a regular file beneath the root.
        using var stream = _root.OpenRead(key, out _, 1);
        return Task.FromResult(stream is null ? null : Path.Combine([_root.Root, .. key.Split('/')]));
    }

    /// <summary>The folder of <paramref name="prefix"/> when it exists and really lies beneath the root (links resolved); null otherwise.</summary>
    private string? FolderBeneathRoot(string prefix)
    {
        Check(prefix);
        var folder = Path.Combine([_root.Root, .. prefix.Split('/')]);
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var parent = Path.GetDirectoryName(folder)!;
        if (!PhysicalPath.IsBeneath(PhysicalPath.Resolve(parent), PhysicalPath.Resolve(_root.Root)))
        {
            throw new PathEscapeException(prefix);
        }

        return folder;
    }

    private static void Check(string key)
    {
        if (!RelativePath.TrySplit(key, out _))
        {
            throw new ArgumentException($"'{key}' is not an object key: empty, '.' and '..' segments, backslashes and NUL are refused.", nameof(key));
        }
    }
}
