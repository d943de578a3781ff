using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>Projects in the catalog.</summary>
internal sealed class ProjectStore(CatalogDatabase database) : IProjectCatalog
{
    private const string Columns = "id, name, arn, created_ms, status, feature, auto_update";

    /// <summary>Inserts a project; false when the name is taken.</summary>
    public bool TryInsert(string name, string arn, long createdMs, string status, string feature, string? autoUpdate)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            "INSERT INTO projects (name, arn, created_ms, status, feature, auto_update) VALUES ($name, $arn, $created, $status, $feature, $auto) ON CONFLICT(name) DO NOTHING")
            .With("$name", name).With("$arn", arn).With("$created", createdMs).With("$status", status).With("$feature", feature).With("$auto", autoUpdate);
        return command.ExecuteNonQuery() == 1;
    }

    public ProjectRecord? FindByArn(string arn, ICatalogTransaction? transaction = null)
    {
        using var scope = database.Use(transaction);
        return FindByArn(scope.Connection, scope.Transaction, arn);
    }

    private static ProjectRecord? FindByArn(SqliteConnection connection, SqliteTransaction? transaction, string arn)
    {
        using var command = connection.Command($"SELECT {Columns} FROM projects WHERE arn = $arn", transaction).With("$arn", arn);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public ProjectRecord? FindById(long id)
    {
        using var connection = database.Open();
        using var command = connection.Command($"SELECT {Columns} FROM projects WHERE id = $id").With("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>One page of projects in creation order, after the row id <paramref name="afterId"/>.</summary>
    public List<ProjectRecord> List(long afterId, int limit, IReadOnlyCollection<string>? names, IReadOnlyCollection<string>? features)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var sql = new System.Text.StringBuilder($"SELECT {Columns} FROM projects WHERE id > $after");
        command.Parameters.AddWithValue("$after", afterId);
        AppendIn(sql, command, "name", "$n", names);
        AppendIn(sql, command, "feature", "$f", features);
        sql.Append(" ORDER BY id LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit);
        command.CommandText = sql.ToString();
        using var reader = command.ExecuteReader();
        var result = new List<ProjectRecord>();
        while (reader.Read())
        {
            result.Add(Read(reader));
        }

        return result;
    }

    /// <summary>Deletes the project with its policies and tags, in one transaction.</summary>
    public void Delete(ICatalogTransaction transaction, ProjectRecord project)
    {
        var (connection, sqlite) = SqliteCatalogTransaction.Of(transaction);
        using (var policies = connection.Command("DELETE FROM project_policies WHERE project_id = $id", sqlite).With("$id", project.Id))
        {
            policies.ExecuteNonQuery();
        }

        using (var tags = connection.Command("DELETE FROM tags WHERE resource_arn = $arn", sqlite).With("$arn", project.Arn))
        {
            tags.ExecuteNonQuery();
        }

        using var delete = connection.Command("DELETE FROM projects WHERE id = $id", sqlite).With("$id", project.Id);
        delete.ExecuteNonQuery();
    }

    internal static void AppendIn(System.Text.StringBuilder sql, SqliteCommand command, string column, string prefix, IReadOnlyCollection<string>? values)
    {
        if (values is null || values.Count == 0)
        {
            return;
        }

        sql.Append(" AND ").Append(column).Append(" IN (");
        var i = 0;
        foreach (var value in values)
        {
            var name = prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ", ").Append(name);
            command.Parameters.AddWithValue(name, value);
            i++;
        }

        sql.Append(')');
    }

    private static ProjectRecord Read(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.NullableString(6));
}
