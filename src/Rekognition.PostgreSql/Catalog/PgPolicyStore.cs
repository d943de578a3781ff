using Npgsql;
using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>Project policies in the PostgreSQL catalog: the latest revision of each named policy of a project.</summary>
internal sealed class PgPolicyStore(PgDatabase database) : IPolicyCatalog
{
    private const string Columns = "name, revision_id, document, created_ms, updated_ms";

    /// <summary>
    /// Inside a transaction, locks the project's row first: a policy change reads (revision, count) then writes, and two
    /// of them on one project must take turns as they do on SQLite's single writer.
    /// </summary>
    public PolicyRecord? Find(ICatalogTransaction? transaction, long projectId, string name) =>
        database.Run(transaction, (connection, tx) =>
        {
            LockProject(transaction, connection, tx, projectId);
            using var command = connection.Command($"SELECT {Columns} FROM project_policies WHERE project_id = @p AND name = @n", tx)
                .With("p", projectId).With("n", name);
            return command.ReadFirst(Read);
        });

    public int Count(ICatalogTransaction? transaction, long projectId) =>
        database.Run(transaction, (connection, tx) =>
        {
            LockProject(transaction, connection, tx, projectId);
            using var command = connection.Command("SELECT COUNT(*) FROM project_policies WHERE project_id = @p", tx).With("p", projectId);
            return (int)command.Scalar();
        });

    public void Upsert(ICatalogTransaction transaction, long projectId, PolicyRecord policy)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(policy);
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command(
                """
                INSERT INTO project_policies (project_id, name, revision_id, document, created_ms, updated_ms) VALUES (@p, @n, @r, @d, @c, @u)
                ON CONFLICT (project_id, name) DO UPDATE SET revision_id = excluded.revision_id, document = excluded.document, updated_ms = excluded.updated_ms
                """, tx)
                .With("p", projectId).With("n", policy.Name).With("r", policy.RevisionId).With("d", policy.Document)
                .With("c", policy.CreatedMs).With("u", policy.UpdatedMs);
            command.ExecuteNonQuery();
        });
    }

    public void Delete(ICatalogTransaction transaction, long projectId, string name)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command("DELETE FROM project_policies WHERE project_id = @p AND name = @n", tx).With("p", projectId).With("n", name);
            command.ExecuteNonQuery();
        });
    }

    public List<PolicyRecord> List(long projectId, string? afterName, int limit) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                $"SELECT {Columns} FROM project_policies WHERE project_id = @p AND name > @after ORDER BY name LIMIT @limit")
                .With("p", projectId).With("after", afterName ?? string.Empty).With("limit", limit + 1);
            return command.ReadAll(Read);
        });

    // Once per transaction: the lock is held until it ends, so a second FOR UPDATE would only cost a round trip.
    private static void LockProject(ICatalogTransaction? transaction, NpgsqlConnection connection, NpgsqlTransaction? tx, long projectId)
    {
        if (transaction is not null && PgCatalogTransaction.Of(transaction).FirstLockOfProject(projectId))
        {
            using var command = connection.Command("SELECT 1 FROM projects WHERE id = @p FOR UPDATE", tx).With("p", projectId);
            command.ExecuteNonQuery();
        }
    }

    private static PolicyRecord Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4));
}
