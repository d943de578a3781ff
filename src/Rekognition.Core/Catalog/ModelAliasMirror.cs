using System.Collections.Concurrent;

namespace Rekognition.Core.Catalog;

/// <summary>
/// The part of an <see cref="IModelAliasCatalog"/> that is the same on every provider: the aliases mirrored in memory
/// (loaded once, then kept by this process's changes) and the count of requests each version serves through an alias
/// right now. A provider stores the rows and calls this after each change it made.
/// </summary>
public sealed class ModelAliasMirror
{
    private readonly ConcurrentDictionary<(long Project, string Name), Target> _aliases = new();
    private readonly ConcurrentDictionary<string, InFlight> _inFlight = new(StringComparer.Ordinal);

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
    public string? Resolve(long projectId, string name) => _aliases.TryGetValue((projectId, name), out var target) ? Volatile.Read(ref target.VersionArn) : null;

    /// <summary>Points the alias at <paramref name="versionArn"/> (after it was stored) and returns the version it pointed at before.</summary>
    public string? Point(long projectId, string name, string versionArn)
    {
        var target = _aliases.GetOrAdd((projectId, name), _ => new Target(versionArn));
        return Interlocked.Exchange(ref target.VersionArn, versionArn) is var previous && previous != versionArn ? previous : null;
    }

    /// <summary>Forgets the alias (after it was deleted).</summary>
    public void Remove(long projectId, string name) => _aliases.TryRemove((projectId, name), out _);

    /// <summary>
    /// Resolves the alias and counts a request on its version; the count is taken before the alias is read again, so a
    /// promotion that switched the alias and then saw no requests on the old version cannot miss this one.
    /// </summary>
    public string? Enter(long projectId, string name)
    {
        while (true)
        {
            var arn = Resolve(projectId, name);
            if (arn is null)
            {
                return null;
            }

            var count = _inFlight.GetOrAdd(arn, _ => new InFlight());
            Interlocked.Increment(ref count.Requests);
            if (Resolve(projectId, name) == arn)
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
