using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Core.Storage;

/// <summary>
/// The read-through cache for what must be a local file (an ONNX model for ONNX Runtime, a memory-mapped cache) when the
/// object store is not a local folder: the first request copies the object into a local folder (confined, whole or not
/// at all), later ones are served from there. Cached objects are taken as unchanging unless the store that writes them
/// calls <see cref="Invalidate"/> (the store writes a package's metadata again after evaluation).
/// </summary>
internal sealed class LocalFileCache
{
    private readonly IObjectStore _objects;
    private readonly ConfinedDirectory _folder;

    public LocalFileCache(IObjectStore objects, string folder)
    {
        ArgumentNullException.ThrowIfNull(objects);
        _objects = objects;
        _folder = new ConfinedDirectory(folder);
    }

    /// <summary>The local copy of the object at <paramref name="key"/>, fetched on first use; null when there is no such object.</summary>
    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!_folder.FileExists(key))
        {
            await using var source = await _objects.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            if (source is null)
            {
                return null;
            }

            // Two readers fetching at once each write a unique temporary copy and rename it into place: both copies are whole.
            await _folder.WriteFileAsync(key, target => source.CopyToAsync(target, cancellationToken)).ConfigureAwait(false);
        }

        return Path.Combine([_folder.Root, .. RelativePath.Split(key)]);
    }

    /// <summary>Forgets the local copy of <paramref name="key"/> (its object was written again).</summary>
    public void Invalidate(string key)
    {
        var path = Path.Combine([_folder.Root, .. RelativePath.Split(key)]);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
