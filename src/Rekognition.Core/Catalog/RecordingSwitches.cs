using System.Collections.Concurrent;

namespace Rekognition.Core.Catalog;

/// <summary>
/// Which versions record feedback, as an <see cref="IFeedbackCatalog"/> provider caches it for the detection path: each
/// answer is read from the catalog at most once per <see cref="MaxAge"/>, so a switch made on any host sharing the
/// catalog reaches every host within that time, while a detection does not query the database per image. A switch made
/// through this cache is seen at once.
/// </summary>
public sealed class RecordingSwitches
{
    /// <summary>How long a switch read from the catalog is trusted.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (bool On, long ReadAtMs)> _switches = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="versionArn"/> records: the cached answer, or <paramref name="read"/>'s once it is older than <see cref="MaxAge"/>.</summary>
    public bool IsOn(string versionArn, Func<string, bool> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var now = Environment.TickCount64;
        if (_switches.TryGetValue(versionArn, out var cached) && now - cached.ReadAtMs < (long)MaxAge.TotalMilliseconds)
        {
            return cached.On;
        }

        var on = read(versionArn);
        _switches[versionArn] = (on, now);
        return on;
    }

    /// <summary>Records a switch this process stored in the catalog.</summary>
    public void Set(string versionArn, bool on) => _switches[versionArn] = (on, Environment.TickCount64);
}
