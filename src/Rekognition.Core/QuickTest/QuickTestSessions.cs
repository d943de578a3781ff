using Rekognition.Core.Inference;
using Rekognition.Core.Models;

namespace Rekognition.Core.QuickTest;

/// <summary>
/// The quick test's sessions: one per version package (its key never changes), at most <see cref="Capacity"/> kept,
/// the least recently used one closed when another is needed; a session in use is closed once its last request ends.
/// </summary>
internal sealed class QuickTestSessions(int capacity = QuickTestSessions.Capacity) : IAsyncDisposable
{
    /// <summary>Sessions kept at most by default: each holds a model in memory on one unit.</summary>
    public const int Capacity = 4;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _clock;
    private bool _disposed;

    /// <summary>Runs <paramref name="use"/> on the package's session, starting one through <paramref name="start"/> when none is kept.</summary>
    public async Task<T> UseAsync<T>(string packageKey, Func<Task<(ModelPackage, IModelHost)>> start, Func<ModelPackage, IModelHost, Task<T>> use)
    {
        Entry entry;
        Entry? evicted = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_entries.TryGetValue(packageKey, out entry!))
            {
                if (_entries.Count >= capacity)
                {
                    evicted = _entries.Values.MinBy(e => e.LastUsed);
                    _entries.Remove(evicted!.Key);
                    evicted.Evicted = true;
                }

                entry = new Entry(packageKey, new Lazy<Task<(ModelPackage, IModelHost)>>(start));
                _entries[packageKey] = entry;
            }

            entry.LastUsed = ++_clock;
            entry.Users++;
        }

        if (evicted is not null)
        {
            await ReleaseAsync(evicted, enter: false).ConfigureAwait(false);
        }

        try
        {
            (ModelPackage package, IModelHost host) session;
            try
            {
                session = await entry.Session.Value.ConfigureAwait(false);
            }
            catch
            {
                Forget(entry); // a session that failed to start is not kept: the next request tries again
                throw;
            }

            return await use(session.package, session.host).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(entry, enter: true).ConfigureAwait(false);
        }
    }

    /// <summary>How many sessions are kept now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    private void Forget(Entry entry)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(entry.Key, out var kept) && ReferenceEquals(kept, entry))
            {
                _entries.Remove(entry.Key);
                entry.Evicted = true;
            }
        }
    }

    // Ends one use (enter) or the cache's hold (evicted); the session closes when it is evicted and unused.
    private async Task ReleaseAsync(Entry entry, bool enter)
    {
        bool close;
        lock (_lock)
        {
            if (enter)
            {
                entry.Users--;
            }

            close = entry.Evicted && entry.Users == 0 && !entry.Closed;
            entry.Closed |= close;
        }

        if (close && entry.Session.IsValueCreated && entry.Session.Value.IsCompletedSuccessfully)
        {
            await entry.Session.Value.Result.Item2.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Entry> all;
        lock (_lock)
        {
            _disposed = true;
            all = [.. _entries.Values];
            _entries.Clear();
            foreach (var e in all)
            {
                e.Evicted = true;
            }
        }

        foreach (var e in all)
        {
            await ReleaseAsync(e, enter: false).ConfigureAwait(false);
        }
    }

    private sealed class Entry(string key, Lazy<Task<(ModelPackage, IModelHost)>> session)
    {
        public string Key { get; } = key;

        public Lazy<Task<(ModelPackage, IModelHost)>> Session { get; } = session;

        public long LastUsed { get; set; }

        public int Users { get; set; }

        public bool Evicted { get; set; }

        public bool Closed { get; set; }
    }
}
