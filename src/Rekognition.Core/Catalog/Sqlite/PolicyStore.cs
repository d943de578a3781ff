using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>Project policies: the latest revision of each named policy of a project.</summary>
internal sealed class PolicyStore(CatalogDatabase database) : IPolicyCatalog
{
    public PolicyRecord? Find(ICatalogTransaction? transaction, long projectId, string name)
    {
        using var scope = database.Use(transaction);
        using var command = scope.Connection.Command(
            "SELECT name, revision_id, document, created_ms, updated_ms FROM project_policies WHERE project_id = $p AND name = $n", scope.Transaction)
            .With("$p", projectId).With("$n", name);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public int Count(ICatalogTransaction? transaction, long projectId)
    {
        using var scope = database.Use(transaction);
        using var command = scope.Connection.Command("SELECT COUNT(*) FROM project_policies WHERE project_id = $p", scope.Transaction).With("$p", projectId);
        return (int)command.Scalar();
    }

    public void Upsert(ICatalogTransaction transaction, long projectId, PolicyRecord policy)
    {
        var (connection, sqlite) = SqliteCatalogTransaction.Of(transaction);
        using var command = connection.Command(
            """
            INSERT INTO project_policies (project_id, name, revision_id, document, created_ms, updated_ms) VALUES ($p, $n, $r, $d, $c, $u)
            ON CONFLICT(project_id, name) DO UPDATE SET revision_id = excluded.revision_id, document = excluded.document, updated_ms = excluded.updated_ms
            """, sqlite)
            .With("$p", projectId).With("$n", policy.Name).With("$r", policy.RevisionId).With("$d", policy.Document)
            .With("$c", policy.CreatedMs).With("$u", policy.UpdatedMs);
        command.ExecuteNonQuery();
    }

    public void Delete(ICatalogTransaction transaction, long projectId, string name)
    {
        var (connection, sqlite) = SqliteCatalogTransaction.Of(transaction);
        using var command = connection.Command("DELETE FROM project_policies WHERE project_id = $p AND name = $n", sqlite)
            .With("$p", projectId).With("$n", name);
        command.ExecuteNonQuery();
    }

    public List<PolicyRecord> List(long projectId, string? afterName, int limit)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            "SELECT name, revision_id, document, created_ms, updated_ms FROM project_policies WHERE project_id = $p AND name > $after ORDER BY name LIMIT $limit")
            .With("$p", projectId).With("$after", afterName ?? string.Empty).With("$limit", limit + 1);
        using var reader = command.ExecuteReader();
        var result = new List<PolicyRecord>();
        while (reader.Read())
        {
            result.Add(Read(reader));
        }

        return result;
    }

    private static PolicyRecord Read(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4));
}
