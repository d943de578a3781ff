using Rekognition.Core.Inference;
using Rekognition.Core.Models;
using Rekognition.Core.Services.Versions;

namespace Rekognition.Core.QuickTest;

/// <summary>
/// The quick test's kept sessions, one per version and package: at most <see cref="Capacity"/> of them (the least
/// recently used one leaves for a new one), none idle longer than <see cref="IdleTimeout"/>, and a deleted version's
/// gone at once. A session leaves the cache at once but is closed only when the last request using it has ended
/// (each use holds a reference), so eviction never pulls a model from under a running request.
/// </summary>
internal sealed class QuickTestSessions : IVersionDeletionObserver, IAsyncDisposable
{
    /// <summary>Sessions kept at most by default: each holds a model in memory on one unit.</summary>
    public const int DefaultCapacity = 4;

    /// <summary>How long an unused session is kept by default.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Session> _byVersion = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;
    private bool _disposed;

    /// <summary>Sessions with the default bounds (the container's constructor).</summary>
    public QuickTestSessions(TimeProvider time)
        : this(time, DefaultCapacity, DefaultIdleTimeout)
    {
    }

    /// <summary>Sessions with the given bounds.</summary>
    public QuickTestSessions(TimeProvider time, int capacity, TimeSpan idleTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idleTimeout, TimeSpan.Zero);
        _time = time;
        Capacity = capacity;
        IdleTimeout = idleTimeout;

        // Idle sessions are also closed when no request comes to notice them.
        var period = idleTimeout / 2;
        _sweeper = time.CreateTimer(_ => _ = SweepAsync(), null, period, period);
    }

    /// <summary>Sessions kept at most.</summary>
    public int Capacity { get; }

    /// <summary>How long an unused session is kept.</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>How many sessions are kept now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byVersion.Count;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="use"/> on the session of <paramref name="versionArn"/>'s package <paramref name="packageKey"/>,
    /// starting one through <paramref name="start"/> when none is kept. A kept session of another package of the same
    /// version (a stale one) is never used: it is evicted.
    /// </summary>
    public async Task<T> UseAsync<T>(
        string versionArn, string packageKey, Func<Task<(ModelPackage Package, IModelHost Host)>> start, Func<ModelPackage, IModelHost, Task<T>> use)
    {
        Session session;
        var evicted = new List<Session>();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CollectIdle(evicted);
            if (!_byVersion.TryGetValue(versionArn, out session!) || session.PackageKey != packageKey)
            {
                if (session is not null)
                {
                    Evict(session, evicted);
                }

                while (_byVersion.Count >= Capacity)
                {
                    Evict(_byVersion.Values.MinBy(s => s.LastUsed)!, evicted);
                }

                session = new Session(versionArn, packageKey, new Lazy<Task<(ModelPackage, IModelHost)>>(start));
                _byVersion[versionArn] = session;
            }

            session.Users++;
            session.LastUsed = _time.GetUtcNow();
        }

        await CloseUnusedAsync(evicted).ConfigureAwait(false);
        try
        {
            (ModelPackage Package, IModelHost Host) started;
            try
            {
                started = await session.Started.Value.ConfigureAwait(false);
            }
            catch
            {
                Forget(session); // a session that failed to start is not kept: the next request tries again
                throw;
            }

            return await use(started.Package, started.Host).ConfigureAwait(false);
        }
        finally
        {
            bool close;
            lock (_lock)
            {
                session.Users--;
                session.LastUsed = _time.GetUtcNow();
                close = TakeForClosing(session);
            }

            if (close)
            {
                await CloseAsync(session).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Evicts the sessions unused for longer than <see cref="IdleTimeout"/>.</summary>
    public Task SweepAsync() => EvictAsync(CollectIdle);

    /// <summary>Evicts the deleted version's session (closed once its requests end).</summary>
    public void VersionDeleted(string versionArn) => _ = EvictAsync(versionArn);

    /// <summary>Evicts <paramref name="versionArn"/>'s session; closed now when unused, else when its last request ends.</summary>
    public Task EvictAsync(string versionArn) => EvictAsync(evicted =>
    {
        if (_byVersion.TryGetValue(versionArn, out var session))
        {
            Evict(session, evicted);
        }
    });

    // Evicts what choose picks (under the lock), then closes those no request uses.
    private async Task EvictAsync(Action<List<Session>> choose)
    {
        var evicted = new List<Session>();
        lock (_lock)
        {
            if (!_disposed)
            {
                choose(evicted);
            }
        }

        await CloseUnusedAsync(evicted).ConfigureAwait(false);
    }

    /// <summary>Closes every session no request uses; the others close when their requests end.</summary>
    public async ValueTask DisposeAsync()
    {
        var evicted = new List<Session>();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var session in _byVersion.Values.ToList())
            {
                Evict(session, evicted);
            }
        }

        await _sweeper.DisposeAsync().ConfigureAwait(false);
        await CloseUnusedAsync(evicted).ConfigureAwait(false);
    }

    // Under the lock.
    private void CollectIdle(List<Session> evicted)
    {
        var now = _time.GetUtcNow();
        foreach (var session in _byVersion.Values.Where(s => s.Users == 0 && now - s.LastUsed >= IdleTimeout).ToList())
        {
            Evict(session, evicted);
        }
    }

    // Under the lock: out of the cache now, closed by whoever sees it evicted and unused.
    private void Evict(Session session, List<Session> evicted)
    {
        _byVersion.Remove(session.VersionArn);
        session.Evicted = true;
        evicted.Add(session);
    }

    private void Forget(Session session)
    {
        lock (_lock)
        {
            if (_byVersion.TryGetValue(session.VersionArn, out var kept) && ReferenceEquals(kept, session))
            {
                _byVersion.Remove(session.VersionArn);
                session.Evicted = true;
            }
        }
    }

    // Under the lock: true once for an evicted session no request uses (its closer is the caller).
    private static bool TakeForClosing(Session session)
    {
        if (!session.Evicted || session.Users > 0 || session.Closed)
        {
            return false;
        }

        session.Closed = true;
        return true;
    }

    private async Task CloseUnusedAsync(List<Session> evicted)
    {
        foreach (var session in evicted)
        {
            bool close;
            lock (_lock)
            {
                close = TakeForClosing(session);
            }

            if (close)
            {
                await CloseAsync(session).ConfigureAwait(false);
            }
        }
    }

    private static async Task CloseAsync(Session session)
    {
        if (!session.Started.IsValueCreated)
        {
            return;
        }

        // A start still under way (its first user gave up waiting) is closed once it completes; one that failed has
        // nothing to close (its user saw the error).
        var start = session.Started.Value;
        await ((Task)start).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (start.IsCompletedSuccessfully)
        {
            await start.Result.Item2.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class Session(string versionArn, string packageKey, Lazy<Task<(ModelPackage, IModelHost)>> started)
    {
        public string VersionArn { get; } = versionArn;

        public string PackageKey { get; } = packageKey;

        public Lazy<Task<(ModelPackage, IModelHost)>> Started { get; } = started;

        public int Users { get; set; }

        public DateTimeOffset LastUsed { get; set; }

        public bool Evicted { get; set; }

        public bool Closed { get; set; }
    }
}
