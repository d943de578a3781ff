using Rekognition.Core.Storage;

namespace Rekognition.Core.Requests;

/// <summary>
/// The store's pagination key, read (or made) once from the object store, asynchronously, when the store starts
/// (<see cref="Services.Startup.StoreStartup"/>); making this reads nothing, so no DI factory blocks on the store.
/// </summary>
internal sealed class PaginationKeySource(IObjectStore objects)
{
    private readonly Lazy<Task<byte[]>> _load = new(() => PaginationKey.LoadOrCreateAsync(objects));

    /// <summary>Reads or makes the key (once; later calls share the first).</summary>
    public Task LoadAsync(CancellationToken cancellationToken) => _load.Value.WaitAsync(cancellationToken);

    /// <summary>The key: loaded by the store's start-up before any request is served.</summary>
    public byte[] Key => _load.Value.GetAwaiter().GetResult();
}
