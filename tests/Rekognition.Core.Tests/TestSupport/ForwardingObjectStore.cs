using Rekognition.Core.Storage;

namespace Rekognition.Core.Tests.TestSupport;

/// <summary>An object store that hands every call to <paramref name="inner"/>; tests override the calls they bend (delays, failures).</summary>
internal abstract class ForwardingObjectStore(IObjectStore inner) : IObjectStore
{
    public virtual Task PutAsync(string key, Func<Stream, Task> write, CancellationToken cancellationToken = default) => inner.PutAsync(key, write, cancellationToken);

    public virtual Task<bool> PutIfAbsentAsync(string key, Func<Stream, Task> write, bool ownerOnly = false, CancellationToken cancellationToken = default) =>
        inner.PutIfAbsentAsync(key, write, ownerOnly, cancellationToken);

    public virtual Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

    public virtual Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => inner.ExistsAsync(key, cancellationToken);

    public virtual IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public virtual Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) => inner.DeletePrefixAsync(prefix, cancellationToken);

    public virtual Task<string?> GetLocalFileAsync(string key, CancellationToken cancellationToken = default) => inner.GetLocalFileAsync(key, cancellationToken);
}
