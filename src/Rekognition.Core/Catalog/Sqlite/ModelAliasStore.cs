namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>
/// Model aliases: a name in a project that points at one of its versions, kept in the catalog and mirrored in memory
/// (<see cref="ModelAliasMirror"/>) with the requests each version serves through an alias right now.
/// </summary>
internal sealed class ModelAliasStore : IModelAliasCatalog
{
    private readonly CatalogDatabase _database;
    private readonly ModelAliasMirror _mirror;

    /// <summary>The aliases of <paramref name="database"/>, read again once older than <paramref name="maxAge"/>.</summary>
    public ModelAliasStore(CatalogDatabase database, TimeSpan maxAge)
    {
        _database = database;
        using (var connection = database.Open())
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

        // Read again when stale, so an alias another process changed is followed here too.
        _mirror = new ModelAliasMirror(ReadAll, maxAge);
    }

    private List<(long ProjectId, string Name, string VersionArn)> ReadAll()
    {
        using var connection = _database.Open();
        using var select = connection.Command("SELECT project_id, name, version_arn FROM model_aliases");
        using var reader = select.ExecuteReader();
        var stored = new List<(long, string, string)>();
        while (reader.Read())
        {
            stored.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return stored;
    }

    public string? Resolve(long projectId, string name) => _mirror.Resolve(projectId, name);

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

        return _mirror.Point(projectId, name, versionArn);
    }

    public void Delete(long projectId, string name)
    {
        using (var connection = _database.Open())
        using (var command = connection.Command("DELETE FROM model_aliases WHERE project_id = $p AND name = $n").With("$p", projectId).With("$n", name))
        {
            command.ExecuteNonQuery();
        }

        _mirror.Remove(projectId, name);
    }

    public string? Enter(long projectId, string name) => _mirror.Enter(projectId, name);

    public void Leave(string versionArn) => _mirror.Leave(versionArn);

    public int InFlightOn(string versionArn) => _mirror.InFlightOn(versionArn);

    public bool Refresh() => _mirror.ReloadNow();

    public void MarkStale() => _mirror.MarkStale();

    public long CountPointingAt(string versionArn)
    {
        using var connection = _database.Open();
        using var command = connection.Command("SELECT COUNT(*) FROM model_aliases WHERE version_arn = $v").With("$v", versionArn);
        return command.Scalar();
    }
}
