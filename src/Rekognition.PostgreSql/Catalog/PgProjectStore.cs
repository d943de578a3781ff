using Npgsql;
using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>Projects in the PostgreSQL catalog.</summary>
internal sealed class PgProjectStore(PgDatabase database) : IProjectCatalog
{
    private const string Columns = "id, name, arn, created_ms, status, feature, auto_update";

    public bool TryInsert(string name, string arn, long createdMs, string status, string feature, string? autoUpdate) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                "INSERT INTO projects (name, arn, created_ms, status, feature, auto_update) VALUES (@name, @arn, @created, @status, @feature, @auto) ON CONFLICT (name) DO NOTHING")
                .With("name", name).With("arn", arn).With("created", createdMs).With("status", status).With("feature", feature).Text("auto", autoUpdate);
            return command.ExecuteNonQuery() == 1;
        });

    public ProjectRecord? FindByArn(string arn, ICatalogTransaction? transaction = null) =>
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command($"SELECT {Columns} FROM projects WHERE arn = @arn", tx).With("arn", arn);
            return command.ReadFirst(Read);
        });

    public ProjectRecord? FindById(long id) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command($"SELECT {Columns} FROM projects WHERE id = @id").With("id", id);
            return command.ReadFirst(Read);
        });

    public List<ProjectRecord> List(long afterId, int limit, IReadOnlyCollection<string>? names, IReadOnlyCollection<string>? features) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                $"""
                SELECT {Columns} FROM projects WHERE id > @after
                AND (@names::text[] IS NULL OR name = ANY(@names)) AND (@features::text[] IS NULL OR feature = ANY(@features))
                ORDER BY id LIMIT @limit
                """)
                .With("after", afterId).With("limit", limit);
            AnyOf(command, "names", names);
            AnyOf(command, "features", features);
            return command.ReadAll(Read);
        });

    public void Delete(ICatalogTransaction transaction, ProjectRecord project)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(project);
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command(
                """
                DELETE FROM project_policies WHERE project_id = @id;
                DELETE FROM tags WHERE resource_arn = @arn;
                DELETE FROM projects WHERE id = @id;
                """, tx).With("id", project.Id).With("arn", project.Arn);
            command.ExecuteNonQuery();
        });
    }

    /// <summary>Binds an optional filter list: null (no filter) when it is missing or empty, as the SQLite catalog reads it.</summary>
    internal static void AnyOf(NpgsqlCommand command, string name, IReadOnlyCollection<string>? values)
    {
        if (values is { Count: > 0 })
        {
            command.Texts(name, values);
        }
        else
        {
            command.Parameters.Add(new NpgsqlParameter(name, NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = DBNull.Value });
        }
    }

    private static ProjectRecord Read(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.NullableString(6));
}
