using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Core.Storage;

/// <summary>
/// The read-through cache for what must be a local file (an ONNX model for ONNX Runtime, a memory-mapped cache) when
/// the object store is not a local folder: the first request copies the object into a local folder (confined, whole or
/// not at all), later ones are served from there. Two callers asking for the same key at once fetch it once. The copies
/// take at most a set number of bytes: beyond it the least recently used copies that nobody holds are removed.
/// Cached objects are taken as unchanging unless the store that writes them calls <see cref="Invalidate"/>.
/// </summary>
public sealed class LocalFileCache
{
    private readonly ConfinedDirectory _folder;
    private readonly long _maxBytes;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeyGate> _gates = new(StringComparer.Ordinal);
    private long _bytes;
    private long _clock;
    private bool _scanned;

    /// <summary>A cache in <paramref name="folder"/> (made on first use) holding at most <paramref name="maxBytes"/> bytes of copies that nobody holds.</summary>
    public LocalFileCache(string folder, long maxBytes = ArtifactsOptions.DefaultLocalCacheMaxBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _folder = new ConfinedDirectory(folder);
        _maxBytes = maxBytes;
    }

    /// <summary>The bytes the cached copies take now.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>
    /// The local copy of the object at <paramref name="key"/>, fetched with <paramref name="open"/> on first use; null when
    /// <paramref name="open"/> finds no object. The copy may be removed once the cache needs room: hold it with
    /// <see cref="AcquireAsync"/> for as long as it must stay.
    /// </summary>
    public async Task<string?> GetAsync(string key, Func<CancellationToken, Task<Stream?>> open, CancellationToken cancellationToken = default)
    {
        using var lease = await AcquireAsync(key, open, cancellationToken).ConfigureAwait(false);
        return lease?.Path;
    }

    /// <summary>
    /// As <see cref="GetAsync"/>, and the copy stays (is never removed to make room) until the lease is disposed.
    /// </summary>
    public async Task<LocalFileLease?> AcquireAsync(string key, Func<CancellationToken, Task<Stream?>> open, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        var path = PathOf(key); // refuses keys that are not relative paths
        ScanOnce();
        var gate = EnterGate(key);
        try
        {
            // One fetch per key at a time: the second caller waits and then finds the copy.
            await gate.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                lock (_lock)
                {
                    if (_entries.TryGetValue(key, out var cached) && File.Exists(path))
                    {
                        return Hold(key, cached, path);
                    }
                }

                await using var source = await open(cancellationToken).ConfigureAwait(false);
                if (source is null)
                {
                    return null;
                }

                await _folder.WriteFileAsync(key, target => source.CopyToAsync(target, cancellationToken)).ConfigureAwait(false);
                var size = new FileInfo(path).Length;
                LocalFileLease lease;
                lock (_lock)
                {
                    if (_entries.Remove(key, out var stale))
                    {
                        _bytes -= stale.Size;
                    }

                    var entry = new Entry(size);
                    _entries[key] = entry;
                    _bytes += size;
                    lease = Hold(key, entry, path);
                    EvictBeyondLimit();
                }

                return lease;
            }
            finally
            {
                gate.Semaphore.Release();
            }
        }
        finally
        {
            LeaveGate(key, gate);
        }
    }

    /// <summary>Forgets the local copy of <paramref name="key"/> (its object was written again); a holder keeps its open handles.</summary>
    public void Invalidate(string key)
    {
        var path = PathOf(key);
        lock (_lock)
        {
            if (_entries.Remove(key, out var entry))
            {
                _bytes -= entry.Size;
            }

            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    private LocalFileLease Hold(string key, Entry entry, string path)
    {
        entry.Users++;
        entry.LastUse = ++_clock;
        return new LocalFileLease(path, () => Release(key, entry));
    }

    private void Release(string key, Entry entry)
    {
        lock (_lock)
        {
            entry.Users--;
            entry.LastUse = ++_clock;
            if (_entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry))
            {
                EvictBeyondLimit();
            }
        }
    }

    // Under _lock: removes the least recently used copies nobody holds until the total fits.
    private void EvictBeyondLimit()
    {
        while (_bytes > _maxBytes)
        {
            string? victim = null;
            Entry? oldest = null;
            foreach (var (key, entry) in _entries)
            {
                if (entry.Users == 0 && (oldest is null || entry.LastUse < oldest.LastUse))
                {
                    victim = key;
                    oldest = entry;
                }
            }

            if (victim is null)
            {
                return; // everything left is held: over the limit until a holder lets go
            }

            _entries.Remove(victim);
            _bytes -= oldest!.Size;
            var path = PathOf(victim);
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    // Copies left by an earlier process count against the limit, oldest access first.
    private void ScanOnce()
    {
        lock (_lock)
        {
            if (_scanned)
            {
                return;
            }

            _scanned = true;
            if (!Directory.Exists(_folder.Root))
            {
                return;
            }

            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
            var files = new DirectoryInfo(_folder.Root).EnumerateFiles("*", options)
                .Where(file => !file.Name.StartsWith('.')) // a writer's temporary file, left by a crash
                .OrderBy(file => file.LastAccessTimeUtc);
            foreach (var file in files)
            {
                var key = Path.GetRelativePath(_folder.Root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (RelativePath.TrySplit(key, out _) && !_entries.ContainsKey(key))
                {
                    _entries[key] = new Entry(file.Length) { LastUse = ++_clock };
                    _bytes += file.Length;
                }
            }

            EvictBeyondLimit();
        }
    }

    private KeyGate EnterGate(string key)
    {
        lock (_lock)
        {
            if (!_gates.TryGetValue(key, out var gate))
            {
                gate = new KeyGate();
                _gates[key] = gate;
            }

            gate.Waiters++;
            return gate;
        }
    }

    private void LeaveGate(string key, KeyGate gate)
    {
        lock (_lock)
        {
            if (--gate.Waiters == 0)
            {
                _gates.Remove(key);
                gate.Semaphore.Dispose();
            }
        }
    }

    private string PathOf(string key) => Path.Combine([_folder.Root, .. RelativePath.Split(key)]);

    private sealed class Entry(long size)
    {
        public long Size { get; } = size;

        public int Users { get; set; }

        public long LastUse { get; set; }
    }

    private sealed class KeyGate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Waiters { get; set; }
    }
}

/// <summary>A local copy held in a <see cref="LocalFileCache"/>: it is not removed to make room until this is disposed.</summary>
public sealed class LocalFileLease : IDisposable
{
    private Action? _release;

    internal LocalFileLease(string path, Action release)
    {
        Path = path;
        _release = release;
    }

    /// <summary>The local file (read it only).</summary>
    public string Path { get; }

    /// <summary>Lets the cache remove the copy when it needs room.</summary>
    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
