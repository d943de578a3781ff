using System.Collections.Concurrent;
using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>
/// Model aliases in the PostgreSQL catalog, mirrored in memory (read once, then kept by this process's changes) with
/// the count of requests each version serves through an alias right now, so a promotion can wait for them.
/// </summary>
internal sealed class PgModelAliasStore : IModelAliasCatalog
{
    private readonly PgDatabase _database;
    private readonly ConcurrentDictionary<(long Project, string Name), Target> _aliases = new();
    private readonly ConcurrentDictionary<string, InFlight> _inFlight = new(StringComparer.Ordinal);

    public PgModelAliasStore(PgDatabase database)
    {
        _database = database;
        database.Run(null, (connection, _) =>
        {
            using var select = connection.Command("SELECT project_id, name, version_arn FROM model_aliases");
            foreach (var (project, name, arn) in select.ReadAll(r => (r.GetInt64(0), r.GetString(1), r.GetString(2))))
            {
                _aliases[(project, name)] = new Target(arn);
            }
        });
    }

    public string? Resolve(long projectId, string name) => _aliases.TryGetValue((projectId, name), out var target) ? Volatile.Read(ref target.VersionArn) : null;

    public string? Point(long projectId, string name, string versionArn, long nowMs)
    {
        _database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                """
                INSERT INTO model_aliases (project_id, name, version_arn, updated_ms) VALUES (@p, @n, @v, @ms)
                ON CONFLICT (project_id, name) DO UPDATE SET version_arn = excluded.version_arn, updated_ms = excluded.updated_ms
                """).With("p", projectId).With("n", name).With("v", versionArn).With("ms", nowMs);
            command.ExecuteNonQuery();
        });
        var target = _aliases.GetOrAdd((projectId, name), _ => new Target(versionArn));
        return Interlocked.Exchange(ref target.VersionArn, versionArn) is var previous && previous != versionArn ? previous : null;
    }

    public void Delete(long projectId, string name)
    {
        _database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("DELETE FROM model_aliases WHERE project_id = @p AND name = @n").With("p", projectId).With("n", name);
            command.ExecuteNonQuery();
        });
        _aliases.TryRemove((projectId, name), out _);
    }

    /// <summary>Counts the request before reading the alias again, so a promotion that switched it and saw no requests cannot miss this one.</summary>
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

    public int InFlightOn(string versionArn) => _inFlight.TryGetValue(versionArn, out var count) ? Volatile.Read(ref count.Requests) : 0;

    public long CountPointingAt(string versionArn) =>
        _database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("SELECT COUNT(*) FROM model_aliases WHERE version_arn = @v").With("v", versionArn);
            return command.Scalar();
        });

    private sealed class Target(string versionArn)
    {
        public string VersionArn = versionArn;
    }

    private sealed class InFlight
    {
        public int Requests;
    }
}
