using System.Collections.Concurrent;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>
/// Model aliases: a name in a project that points at one of its versions, kept in the catalog and mirrored
/// in memory, with a count of the requests each version serves through an alias right now, so a promotion
/// can wait for the old version's requests before stopping it.
/// </summary>
internal sealed class ModelAliasStore : IModelAliasCatalog
{
    private readonly CatalogDatabase _database;
    private readonly ConcurrentDictionary<(long Project, string Name), Target> _aliases = new();
    private readonly ConcurrentDictionary<string, InFlight> _inFlight = new(StringComparer.Ordinal);

    public ModelAliasStore(CatalogDatabase database)
    {
        _database = database;
        using var connection = database.Open();
        using (var create = connection.Command(
                   """
                   CREATE TABLE IF NOT EXISTS model_aliases (
                       project_id INTEGER NOT NULL,
                       name TEXT NOT NULL,
                       version_arn TEXT NOT NULL,
                       updated_ms INTEGER NOT NULL,
                       PRIMARY KEY (project_id, name)
                   );
                   """))
        {
            create.ExecuteNonQuery();
        }

        using var select = connection.Command("SELECT project_id, name, version_arn FROM model_aliases");
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            _aliases[(reader.GetInt64(0), reader.GetString(1))] = new Target(reader.GetString(2));
        }
    }

    public string? Resolve(long projectId, string name) => _aliases.TryGetValue((projectId, name), out var target) ? Volatile.Read(ref target.VersionArn) : null;

    /// <summary>Points the alias at <paramref name="versionArn"/> (stored first, then visible to requests) and returns the version it pointed at before.</summary>
    public string? Point(long projectId, string name, string versionArn, long nowMs)
    {
        using (var connection = _database.Open())
        using (var command = connection.Command(
                   """
                   INSERT INTO model_aliases (project_id, name, version_arn, updated_ms) VALUES ($p, $n, $v, $ms)
                   ON CONFLICT(project_id, name) DO UPDATE SET version_arn = excluded.version_arn, updated_ms = excluded.updated_ms
                   """)
                   .With("$p", projectId).With("$n", name).With("$v", versionArn).With("$ms", nowMs))
        {
            command.ExecuteNonQuery();
        }

        var target = _aliases.GetOrAdd((projectId, name), _ => new Target(versionArn));
        return Interlocked.Exchange(ref target.VersionArn, versionArn) is var previous && previous != versionArn ? previous : null;
    }

    public void Delete(long projectId, string name)
    {
        using (var connection = _database.Open())
        using (var command = connection.Command("DELETE FROM model_aliases WHERE project_id = $p AND name = $n").With("$p", projectId).With("$n", name))
        {
            command.ExecuteNonQuery();
        }

        _aliases.TryRemove((projectId, name), out _);
    }

    /// <summary>
    /// Resolves the alias and counts a request on its version; the count is taken before the alias is read
    /// again, so a promotion that switched the alias and then saw no requests on the old version cannot miss this one.
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

    public void Leave(string versionArn)
    {
        if (_inFlight.TryGetValue(versionArn, out var count))
        {
            Interlocked.Decrement(ref count.Requests);
        }
    }

    /// <summary>Requests served through aliases by a version right now.</summary>
    public int InFlightOn(string versionArn) => _inFlight.TryGetValue(versionArn, out var count) ? Volatile.Read(ref count.Requests) : 0;

    public long CountPointingAt(string versionArn)
    {
        using var connection = _database.Open();
        using var command = connection.Command("SELECT COUNT(*) FROM model_aliases WHERE version_arn = $v").With("$v", versionArn);
        return command.Scalar();
    }

    private sealed class Target(string versionArn)
    {
        public string VersionArn = versionArn;
    }

    private sealed class InFlight
    {
        public int Requests;
    }
}
