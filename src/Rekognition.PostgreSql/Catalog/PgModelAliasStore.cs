using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>Model aliases in the PostgreSQL catalog, mirrored in memory (<see cref="ModelAliasMirror"/>) with the requests served through them.</summary>
internal sealed class PgModelAliasStore : IModelAliasCatalog
{
    private readonly PgDatabase _database;
    private readonly ModelAliasMirror _mirror;

    /// <summary>
    /// The aliases of <paramref name="database"/>, read again once older than <paramref name="maxAge"/> or at once when the
    /// change feed reports another host's change (<see cref="MarkStale"/>).
    /// </summary>
    public PgModelAliasStore(PgDatabase database, TimeSpan maxAge)
    {
        _database = database;
        _mirror = new ModelAliasMirror(() => database.Run(null, (connection, _) =>
        {
            using var select = connection.Command("SELECT project_id, name, version_arn FROM model_aliases");
            return select.ReadAll(r => (r.GetInt64(0), r.GetString(1), r.GetString(2)));
        }), maxAge);
    }

    public string? Resolve(long projectId, string name) => _mirror.Resolve(projectId, name);

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
        return _mirror.Point(projectId, name, versionArn);
    }

    public void Delete(long projectId, string name)
    {
        _database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("DELETE FROM model_aliases WHERE project_id = @p AND name = @n").With("p", projectId).With("n", name);
            command.ExecuteNonQuery();
        });
        _mirror.Remove(projectId, name);
    }

    public string? Enter(long projectId, string name) => _mirror.Enter(projectId, name);

    public void Leave(string versionArn) => _mirror.Leave(versionArn);

    public int InFlightOn(string versionArn) => _mirror.InFlightOn(versionArn);

    public bool Refresh() => _mirror.ReloadNow();

    public void MarkStale() => _mirror.MarkStale();

    public long CountPointingAt(string versionArn) =>
        _database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("SELECT COUNT(*) FROM model_aliases WHERE version_arn = @v").With("v", versionArn);
            return command.Scalar();
        });
}
