using System.Collections.Concurrent;

namespace Rekognition.Core.Catalog;

/// <summary>
/// The part of an <see cref="IModelAliasCatalog"/> that is the same on every provider: the aliases mirrored in memory
/// (loaded once, then kept by this process's changes) and the count of requests each version serves through an alias
/// right now. A provider stores the rows and calls this after each change it made; made with a loader, the mirror also
/// reads the stored aliases again once they are older than its max age (the host's poll interval), and at the next
/// request after <see cref="MarkStale"/> (the catalog's change feed reported an alias change), so an alias changed on
/// another host sharing the catalog is followed here.
/// </summary>
public sealed class ModelAliasMirror
{
    /// <summary>How long aliases read from the catalog are trusted before a request reads them again, unless told otherwise.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    // Far enough in the past to be stale for any max age, near enough that "now - this" cannot overflow.
    private const long StaleMark = long.MinValue / 2;

    private readonly ConcurrentDictionary<(long Project, string Name), Target> _aliases = new();
    private readonly ConcurrentDictionary<string, InFlight> _inFlight = new(StringComparer.Ordinal);
    private readonly Func<IEnumerable<(long ProjectId, string Name, string VersionArn)>>? _load;
    private readonly Lock _changing = new();
    private readonly Lock _loading = new(); // one read-and-apply at a time, so an older read never lands after a newer one
    private readonly long _maxAgeMs;
    private long _loadedAtMs;
    private long _changes; // this process's own changes, so a reload that raced one does not undo it

    /// <summary>A mirror of what <paramref name="load"/> reads from the catalog (project id, alias name, version ARN), read again when stale.</summary>
    public ModelAliasMirror(Func<IEnumerable<(long ProjectId, string Name, string VersionArn)>> load)
        : this(load, MaxAge)
    {
    }

    /// <summary>
    /// A mirror of what <paramref name="load"/> reads from the catalog (project id, alias name, version ARN), read again
    /// once older than <paramref name="maxAge"/>.
    /// </summary>
    public ModelAliasMirror(Func<IEnumerable<(long ProjectId, string Name, string VersionArn)>> load, TimeSpan maxAge)
        : this((load ?? throw new ArgumentNullException(nameof(load)))())
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxAge, TimeSpan.Zero);
        _load = load;
        _maxAgeMs = (long)maxAge.TotalMilliseconds;
        _loadedAtMs = Environment.TickCount64;
    }

    /// <summary>A mirror holding the stored <paramref name="aliases"/> (project id, alias name, version ARN).</summary>
    public ModelAliasMirror(IEnumerable<(long ProjectId, string Name, string VersionArn)> aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        foreach (var (project, name, arn) in aliases)
        {
            _aliases[(project, name)] = new Target(arn);
        }
    }

    /// <summary>The version the alias points at; null when there is no such alias.</summary>
    public string? Resolve(long projectId, string name)
    {
        ReloadIfStale();
        return Current(projectId, name);
    }

    /// <summary>Points the alias at <paramref name="versionArn"/> (after it was stored) and returns the version it pointed at before.</summary>
    public string? Point(long projectId, string name, string versionArn)
    {
        lock (_changing)
        {
            _changes++;
            return Set(projectId, name, versionArn);
        }
    }

    /// <summary>Forgets the alias (after it was deleted).</summary>
    public void Remove(long projectId, string name)
    {
        lock (_changing)
        {
            _changes++;
            _aliases.TryRemove((projectId, name), out _);
        }
    }

    private string? Current(long projectId, string name) => _aliases.TryGetValue((projectId, name), out var target) ? Volatile.Read(ref target.VersionArn) : null;

    private string? Set(long projectId, string name, string versionArn)
    {
        var target = _aliases.GetOrAdd((projectId, name), _ => new Target(versionArn));
        return Interlocked.Exchange(ref target.VersionArn, versionArn) is var previous && previous != versionArn ? previous : null;
    }

    /// <summary>
    /// Another host changed an alias (the catalog's change feed said so): the next request reads the stored aliases
    /// again, whatever their age. Cheap: nothing is read here, and nothing at all on a host without alias requests.
    /// </summary>
    public void MarkStale()
    {
        if (_load is not null)
        {
            Volatile.Write(ref _loadedAtMs, StaleMark);
        }
    }

    // One request per max age (per mirror) reads the stored aliases again; the others go on with what is mirrored. A mark
    // made while that read runs is not lost: the read sets its time first, so the mark makes the next request read again.
    private void ReloadIfStale()
    {
        if (_load is null)
        {
            return;
        }

        var now = Environment.TickCount64;
        var loadedAt = Volatile.Read(ref _loadedAtMs);
        if (now - loadedAt < _maxAgeMs || Interlocked.CompareExchange(ref _loadedAtMs, now, loadedAt) != loadedAt)
        {
            return;
        }

        Reload();
    }

    /// <summary>
    /// Reads the stored aliases now (a promotion on another host moved one and waits for this host to follow); false when
    /// the catalog could not answer, or this process changed an alias meanwhile (what was read may predate it): try again.
    /// </summary>
    public bool ReloadNow()
    {
        if (_load is null)
        {
            return true;
        }

        Volatile.Write(ref _loadedAtMs, Environment.TickCount64);
        return Reload();
    }

    private bool Reload()
    {
        lock (_loading)
        {
            return ReadAndApply();
        }
    }

    private bool ReadAndApply()
    {
        long changesBefore;
        lock (_changing)
        {
            changesBefore = _changes;
        }

        Dictionary<(long, string), string> stored;
        try
        {
            stored = _load!().ToDictionary(a => (a.ProjectId, a.Name), a => a.VersionArn);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false; // the catalog cannot answer now: keep serving the aliases as last read, and read again later
        }

        lock (_changing)
        {
            if (_changes != changesBefore)
            {
                // This process changed an alias meanwhile: what was read may predate it. The next request reads again
                // (a long max age must not keep another host's change out that long).
                Volatile.Write(ref _loadedAtMs, StaleMark);
                return false;
            }

            foreach (var ((project, name), arn) in stored)
            {
                Set(project, name, arn);
            }

            foreach (var key in _aliases.Keys.Where(k => !stored.ContainsKey(k)))
            {
                _aliases.TryRemove(key, out _);
            }

            return true;
        }
    }

    /// <summary>
    /// Resolves the alias and counts a request on its version; the count is taken before the alias is read again, so a
    /// promotion that switched the alias and then saw no requests on the old version cannot miss this one.
    /// </summary>
    public string? Enter(long projectId, string name)
    {
        ReloadIfStale();
        while (true)
        {
            var arn = Current(projectId, name);
            if (arn is null)
            {
                return null;
            }

            var count = _inFlight.GetOrAdd(arn, _ => new InFlight());
            Interlocked.Increment(ref count.Requests);
            if (Current(projectId, name) == arn)
            {
                return arn;
            }

            Interlocked.Decrement(ref count.Requests);
        }
    }

    /// <summary>Ends a request counted by <see cref="Enter"/>.</summary>
    public void Leave(string versionArn)
    {
        if (_inFlight.TryGetValue(versionArn, out var count))
        {
            Interlocked.Decrement(ref count.Requests);
        }
    }

    /// <summary>Requests served through aliases by a version right now.</summary>
    public int InFlightOn(string versionArn) => _inFlight.TryGetValue(versionArn, out var count) ? Volatile.Read(ref count.Requests) : 0;

    private sealed class Target(string versionArn)
    {
        public string VersionArn = versionArn;
    }

    private sealed class InFlight
    {
        public int Requests;
    }
}
