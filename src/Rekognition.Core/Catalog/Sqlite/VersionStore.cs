using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>Model versions in the catalog, with the status of their lifecycle.</summary>
internal sealed class VersionStore(CatalogDatabase database) : IVersionCatalog
{
    private const string Columns = "id, project_id, name, arn, created_ms, status, status_message, min_units, max_units, artifact_dir, details";

    /// <summary>Inserts a version (inside <paramref name="transaction"/> when given); false when the project already has one with that name.</summary>
    public bool TryInsert(long projectId, string name, string arn, long createdMs, string status, string? message, string? artifactKey, ProjectVersionDetails details, ICatalogTransaction? transaction = null)
    {
        using var scope = database.Use(transaction);
        using var command = scope.Connection.Command(
            """
            INSERT INTO project_versions (project_id, name, arn, created_ms, status, status_message, artifact_dir, details)
            VALUES ($p, $name, $arn, $created, $status, $message, $dir, $details) ON CONFLICT(project_id, name) DO NOTHING
            """, scope.Transaction)
            .With("$p", projectId).With("$name", name).With("$arn", arn).With("$created", createdMs).With("$status", status)
            .With("$message", message).With("$dir", artifactKey).With("$details", Serialize(details));
        return command.ExecuteNonQuery() == 1;
    }

    public VersionRecord? FindByArn(string arn)
    {
        using var connection = database.Open();
        using var command = connection.Command($"SELECT {Columns} FROM project_versions WHERE arn = $arn").With("$arn", arn);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>One page of a project's versions, newest first, older than row id <paramref name="beforeId"/>.</summary>
    public List<VersionRecord> List(long projectId, IReadOnlyCollection<string>? names, long beforeId, int limit)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var sql = new System.Text.StringBuilder($"SELECT {Columns} FROM project_versions WHERE project_id = $p AND id < $before");
        command.Parameters.AddWithValue("$p", projectId);
        command.Parameters.AddWithValue("$before", beforeId);
        ProjectStore.AppendIn(sql, command, "name", "$n", names);
        sql.Append(" ORDER BY id DESC LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit);
        command.CommandText = sql.ToString();
        using var reader = command.ExecuteReader();
        var result = new List<VersionRecord>();
        while (reader.Read())
        {
            result.Add(Read(reader));
        }

        return result;
    }

    public long CountForProject(long projectId, ICatalogTransaction? transaction = null)
    {
        using var scope = database.Use(transaction);
        using var command = scope.Connection.Command("SELECT COUNT(*) FROM project_versions WHERE project_id = $p", scope.Transaction).With("$p", projectId);
        return command.Scalar();
    }

    /// <summary>
    /// Moves a version from one of <paramref name="from"/> to <paramref name="target"/>; false when it was in
    /// none of them (someone else moved it first). The check and the change are one statement.
    /// </summary>
    public bool TryTransition(long id, IReadOnlyCollection<string> from, string target, string? message, int? minUnits = null, int? maxUnits = null, bool setUnits = false)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var sql = new System.Text.StringBuilder("UPDATE project_versions SET status = $to, status_message = $message");
        if (setUnits)
        {
            sql.Append(", min_units = $min, max_units = $max");
            command.Parameters.AddWithValue("$min", (object?)minUnits ?? DBNull.Value);
            command.Parameters.AddWithValue("$max", (object?)maxUnits ?? DBNull.Value);
        }

        sql.Append(" WHERE id = $id");
        ProjectStore.AppendIn(sql, command, "status", "$s", from);
        command.CommandText = sql.ToString();
        command.Parameters.AddWithValue("$to", target);
        command.Parameters.AddWithValue("$message", (object?)message ?? DBNull.Value);
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery() == 1;
    }

    public void Delete(VersionRecord version)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        using (var command = connection.Command("DELETE FROM project_versions WHERE id = $id", transaction).With("$id", version.Id))
        {
            command.ExecuteNonQuery();
        }

        using (var tags = connection.Command("DELETE FROM tags WHERE resource_arn = $arn", transaction).With("$arn", version.Arn))
        {
            tags.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>
    /// Versions RUNNING or STOPPING that no host serves any more under a live lease (every host serving them ended, or
    /// the last one unloaded a stopping model) become STOPPED, and can be started again. One statement.
    /// </summary>
    public int RecoverHosting(long nowMs)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            """
            UPDATE project_versions SET status = 'STOPPED',
              status_message = CASE status WHEN 'STOPPING' THEN $stopped ELSE $ended END
            WHERE status IN ('RUNNING', 'STOPPING')
              AND NOT EXISTS (SELECT 1 FROM serving_hosts h WHERE h.version_id = project_versions.id AND h.lease_until_ms >= $now)
            """)
            .With("$stopped", "The model has stopped running.")
            .With("$ended", "The model stopped because the process hosting it ended (every host serving it). Start it again with StartProjectVersion.")
            .With("$now", nowMs);
        return command.ExecuteNonQuery();
    }

    /// <summary>Replaces the status message of a version that is still in <paramref name="status"/> (training progress).</summary>
    public void UpdateMessage(long id, string status, string message)
    {
        using var connection = database.Open();
        using var command = connection.Command("UPDATE project_versions SET status_message = $m WHERE id = $id AND status = $s")
            .With("$m", message).With("$id", id).With("$s", status);
        command.ExecuteNonQuery();
    }

    /// <summary>Ends a training: moves the version from TRAINING_IN_PROGRESS to <paramref name="status"/> with its final details, in one statement.</summary>
    public bool TryFinishTraining(long id, string status, string message, string? artifactKey, ProjectVersionDetails details, ICatalogTransaction? transaction = null) =>
        TryFinish(id, "TRAINING_IN_PROGRESS", status, message, artifactKey, details, transaction);

    /// <summary>
    /// Trainings TRAINING_IN_PROGRESS with no job (left by a schema-3 process; a job ends only with its version's status
    /// change) become TRAINING_FAILED. A training whose host died keeps its job: another host takes it over.
    /// </summary>
    public int RecoverTraining() => FailWithoutJob(
        "TRAINING_IN_PROGRESS", "TRAINING_FAILED", "Training stopped because the process running it ended. Train a new version with CreateProjectVersion.");

    /// <summary>Records a running training's progress: its status message and its details (elapsed time), while it is still <paramref name="status"/>.</summary>
    public void UpdateProgress(long id, string status, string message, ProjectVersionDetails details)
    {
        using var connection = database.Open();
        using var command = connection.Command("UPDATE project_versions SET status_message = $m, details = $details WHERE id = $id AND status = $s")
            .With("$m", message).With("$details", Serialize(details)).With("$id", id).With("$s", status);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Inserts a copy COPYING_IN_PROGRESS, owned by this process, unless the project already has a version of that
    /// name or already runs <paramref name="maxCopying"/> copies; the count and the insert are one transaction.
    /// </summary>
    public CopyInsertOutcome TryInsertCopy(ICatalogTransaction catalogTransaction, long projectId, string name, string arn, long createdMs, string message, ProjectVersionDetails details, int maxCopying)
    {
        var (connection, transaction) = SqliteCatalogTransaction.Of(catalogTransaction);
        using (var taken = connection.Command("SELECT COUNT(*) FROM project_versions WHERE project_id = $p AND name = $n", transaction)
                   .With("$p", projectId).With("$n", name))
        {
            if (taken.Scalar() > 0)
            {
                return CopyInsertOutcome.NameTaken;
            }
        }

        using (var copying = connection.Command("SELECT COUNT(*) FROM project_versions WHERE project_id = $p AND status = 'COPYING_IN_PROGRESS'", transaction)
                   .With("$p", projectId))
        {
            if (copying.Scalar() >= maxCopying)
            {
                return CopyInsertOutcome.TooManyCopies;
            }
        }

        using (var insert = connection.Command(
                   """
                   INSERT INTO project_versions (project_id, name, arn, created_ms, status, status_message, details)
                   VALUES ($p, $name, $arn, $created, 'COPYING_IN_PROGRESS', $message, $details)
                   """, transaction)
                   .With("$p", projectId).With("$name", name).With("$arn", arn).With("$created", createdMs)
                   .With("$message", message).With("$details", Serialize(details)))
        {
            insert.ExecuteNonQuery();
        }

        return CopyInsertOutcome.Inserted;
    }

    /// <summary>Ends a copy: moves the version from COPYING_IN_PROGRESS to <paramref name="status"/> with its artifacts and details, in one statement.</summary>
    public bool TryFinishCopy(long id, string status, string message, string? artifactKey, ProjectVersionDetails details, ICatalogTransaction? transaction = null) =>
        TryFinish(id, "COPYING_IN_PROGRESS", status, message, artifactKey, details, transaction);

    /// <summary>Copies COPYING_IN_PROGRESS with no job (a schema-3 process's) become COPYING_FAILED (and stop holding a quota slot).</summary>
    public int RecoverCopying() => FailWithoutJob(
        "COPYING_IN_PROGRESS", "COPYING_FAILED", "The copy stopped because the process running it ended. Copy the model again with CopyProjectVersion.");

    /// <summary>Moves a version out of the running status <paramref name="from"/> with its final artifacts and details, in one statement.</summary>
    private bool TryFinish(long id, string from, string to, string message, string? artifactKey, ProjectVersionDetails details, ICatalogTransaction? transaction)
    {
        using var scope = database.Use(transaction);
        using var command = scope.Connection.Command(
            """
            UPDATE project_versions SET status = $to, status_message = $m, artifact_dir = $dir, details = $details
            WHERE id = $id AND status = $from
            """, scope.Transaction)
            .With("$to", to).With("$m", message).With("$dir", artifactKey).With("$details", Serialize(details)).With("$id", id).With("$from", from);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>Versions in <paramref name="from"/> that no job works on move to <paramref name="to"/> with <paramref name="message"/>; returns how many.</summary>
    private int FailWithoutJob(string from, string to, string message)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            """
            UPDATE project_versions SET status = $to, status_message = $m
            WHERE status = $from AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.resource_arn = project_versions.arn)
            """).With("$to", to).With("$m", message).With("$from", from);
        return command.ExecuteNonQuery();
    }

    private static string Serialize(ProjectVersionDetails details) => JsonSerializer.Serialize(details, CatalogJsonContext.Default.ProjectVersionDetails);

    // Rows written before schema 3 (by an older process on this catalog) may still hold a path: read as a key.
    private VersionRecord Read(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetString(5), r.NullableString(6),
        r.IsDBNull(7) ? null : r.GetInt32(7), r.IsDBNull(8) ? null : r.GetInt32(8), ArtifactKeys.FromStored(r.NullableString(9), database.StoreRoot),
        r.IsDBNull(10) ? new ProjectVersionDetails() : JsonSerializer.Deserialize(r.GetString(10), CatalogJsonContext.Default.ProjectVersionDetails)!);
}
