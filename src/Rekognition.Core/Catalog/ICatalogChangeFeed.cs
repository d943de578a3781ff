namespace Rekognition.Core.Catalog;

/// <summary>
/// A catalog that can tell this process, as soon as they are committed, of the changes its hosts act on (PostgreSQL:
/// <c>LISTEN/NOTIFY</c>). Optional: a catalog implements it beside <see cref="ICatalog"/>; without it (SQLite) hosts
/// learn of the changes by polling alone. Polling stays on with it too, so a change the feed misses is still seen at
/// the next poll.
/// </summary>
public interface ICatalogChangeFeed
{
    /// <summary>
    /// Calls <paramref name="changed"/> for each committed change of another process (and of this one) until
    /// <paramref name="cancellationToken"/> is cancelled. A lost connection is the feed's to mend: it reconnects with a
    /// growing pause and, having reconnected, reports every kind of change once (what it may have missed meanwhile).
    /// Completes when cancelled; never throws for a database failure.
    /// </summary>
    Task ListenAsync(Action<CatalogChange> changed, CancellationToken cancellationToken);
}

/// <summary>What changed in the catalog, as far as a host's loops care.</summary>
public enum CatalogChange
{
    /// <summary>A version was started, stopped or deleted (or moved between STARTING, RUNNING and STOPPING).</summary>
    Serving,

    /// <summary>A job was queued or given back: claimable now.</summary>
    Jobs,

    /// <summary>A model alias was created, moved to another version or deleted.</summary>
    Aliases,
}
