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
        ReadLocked(transaction, projectId, $"SELECT {Columns} FROM project_policies WHERE project_id = $1 AND name = $2", [projectId, name],
            reader => reader.Read() ? Read(reader) : null);

    public int Count(ICatalogTransaction? transaction, long projectId) =>
        ReadLocked(transaction, projectId, "SELECT COUNT(*) FROM project_policies WHERE project_id = $1", [projectId],
            reader => reader.Read() ? (int)reader.GetInt64(0) : 0);

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

    // The project's row lock (once per transaction) and the read go in one round trip.
    private T ReadLocked<T>(ICatalogTransaction? transaction, long projectId, string sql, object[] parameters, Func<NpgsqlDataReader, T> read) =>
        database.Run(transaction, (connection, tx) =>
        {
            using var batch = new NpgsqlBatch(connection, tx);
            var locking = transaction is not null && PgCatalogTransaction.Of(transaction).FirstLockOfProject(projectId);
            if (locking)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT 1 FROM projects WHERE id = $1 FOR UPDATE") { Parameters = { new NpgsqlParameter { Value = projectId } } });
            }

            var query = new NpgsqlBatchCommand(sql);
            foreach (var value in parameters)
            {
                query.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            batch.BatchCommands.Add(query);
            using var reader = batch.ExecuteReader();
            if (locking)
            {
                reader.NextResult();
            }

            return read(reader);
        });

    private static PolicyRecord Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4));
}
