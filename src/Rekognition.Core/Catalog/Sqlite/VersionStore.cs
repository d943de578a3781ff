using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>Model versions in the catalog, with the status of their lifecycle.</summary>
internal sealed class VersionStore(CatalogDatabase database) : IVersionCatalog
{
    private const string Columns = "id, project_id, name, arn, created_ms, status, status_message, min_units, max_units, artifact_dir, details, host_owner";

    /// <summary>
    /// Inserts a version; false when the project already has one with that name. <paramref name="owned"/> records
    /// this process as running the version's work (a training), so that a crash can be told apart.
    /// </summary>
    public bool TryInsert(long projectId, string name, string arn, long createdMs, string status, string? message, string? artifactKey, ProjectVersionDetails details, bool owned = false)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            """
            INSERT INTO project_versions (project_id, name, arn, created_ms, status, status_message, artifact_dir, details, host_owner)
            VALUES ($p, $name, $arn, $created, $status, $message, $dir, $details, $owner) ON CONFLICT(project_id, name) DO NOTHING
            """)
            .With("$p", projectId).With("$name", name).With("$arn", arn).With("$created", createdMs).With("$status", status)
            .With("$message", message).With("$dir", artifactKey).With("$details", Serialize(details))
            .With("$owner", owned ? OperationOwner.Current : null);
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
    public bool TryTransition(long id, IReadOnlyCollection<string> from, string target, string? message, int? minUnits = null, int? maxUnits = null, bool setUnits = false, bool hosting = false)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var sql = new System.Text.StringBuilder("UPDATE project_versions SET status = $to, status_message = $message, host_owner = $owner");
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
        command.Parameters.AddWithValue("$owner", hosting ? OperationOwner.Current : DBNull.Value);
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
    /// Versions left STARTING, RUNNING or STOPPING by a process that is gone are not hosted anywhere any
    /// more: they become STOPPED, and can be started again.
    /// </summary>
    public int RecoverHosting() => RecoverOrphans(
        ["STARTING", "RUNNING", "STOPPING"], "STOPPED", "The model stopped because the process hosting it ended. Start it again with StartProjectVersion.");

    /// <summary>Replaces the status message of a version that is still in <paramref name="status"/> (training progress).</summary>
    public void UpdateMessage(long id, string status, string message)
    {
        using var connection = database.Open();
        using var command = connection.Command("UPDATE project_versions SET status_message = $m WHERE id = $id AND status = $s")
            .With("$m", message).With("$id", id).With("$s", status);
        command.ExecuteNonQuery();
    }

    /// <summary>Ends a training: moves the version from TRAINING_IN_PROGRESS to <paramref name="status"/> with its final details, in one statement.</summary>
    public bool TryFinishTraining(long id, string status, string message, string? artifactKey, ProjectVersionDetails details) =>
        TryFinish(id, "TRAINING_IN_PROGRESS", status, message, artifactKey, details);

    /// <summary>
    /// Trainings left TRAINING_IN_PROGRESS by a process that is gone: those <paramref name="canResume"/> accepts (a
    /// checkpoint to go on from) are claimed by this process with <paramref name="resumeMessage"/> and returned, still
    /// TRAINING_IN_PROGRESS; the others become TRAINING_FAILED. Each claim or failure is one statement that checks the
    /// row still has the dead owner, so two stores opening at once cannot both take a training.
    /// </summary>
    public (int Failed, List<VersionRecord> Resumed) RecoverTraining(Func<VersionRecord, bool> canResume, string resumeMessage)
    {
        ArgumentNullException.ThrowIfNull(canResume);
        using var connection = database.Open();
        var stale = new List<VersionRecord>();
        using (var command = connection.Command($"SELECT {Columns} FROM project_versions WHERE status = 'TRAINING_IN_PROGRESS'"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var version = Read(reader);
                if (!OperationOwner.IsAlive(version.HostOwner))
                {
                    stale.Add(version);
                }
            }
        }

        var failed = 0;
        var resumed = new List<VersionRecord>();
        foreach (var version in stale)
        {
            var resume = canResume(version);
            using var update = connection.Command(
                """
                UPDATE project_versions SET status = $to, status_message = $m, host_owner = $owner
                WHERE id = $id AND status = 'TRAINING_IN_PROGRESS' AND host_owner IS $old
                """)
                .With("$to", resume ? "TRAINING_IN_PROGRESS" : "TRAINING_FAILED")
                .With("$m", resume ? resumeMessage : "Training stopped because the process running it ended. It left no checkpoint to resume from: train a new version with CreateProjectVersion.")
                .With("$owner", resume ? OperationOwner.Current : null)
                .With("$id", version.Id)
                .With("$old", version.HostOwner);
            if (update.ExecuteNonQuery() != 1)
            {
                continue;
            }

            if (resume)
            {
                resumed.Add(version with { Status = "TRAINING_IN_PROGRESS", StatusMessage = resumeMessage, HostOwner = OperationOwner.Current });
            }
            else
            {
                failed++;
            }
        }

        return (failed, resumed);
    }

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
    public CopyInsertOutcome TryInsertCopy(long projectId, string name, string arn, long createdMs, string message, ProjectVersionDetails details, int maxCopying)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
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
                   INSERT INTO project_versions (project_id, name, arn, created_ms, status, status_message, details, host_owner)
                   VALUES ($p, $name, $arn, $created, 'COPYING_IN_PROGRESS', $message, $details, $owner)
                   """, transaction)
                   .With("$p", projectId).With("$name", name).With("$arn", arn).With("$created", createdMs)
                   .With("$message", message).With("$details", Serialize(details)).With("$owner", OperationOwner.Current))
        {
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return CopyInsertOutcome.Inserted;
    }

    /// <summary>Ends a copy: moves the version from COPYING_IN_PROGRESS to <paramref name="status"/> with its artifacts and details, in one statement.</summary>
    public bool TryFinishCopy(long id, string status, string message, string? artifactKey, ProjectVersionDetails details) =>
        TryFinish(id, "COPYING_IN_PROGRESS", status, message, artifactKey, details);

    /// <summary>Copies left COPYING_IN_PROGRESS by a process that is gone become COPYING_FAILED (and stop holding a quota slot).</summary>
    public int RecoverCopying() => RecoverOrphans(
        ["COPYING_IN_PROGRESS"], "COPYING_FAILED", "The copy stopped because the process running it ended. Copy the model again with CopyProjectVersion.");

    /// <summary>Moves a version out of the running status <paramref name="from"/> with its final artifacts and details, in one statement.</summary>
    private bool TryFinish(long id, string from, string to, string message, string? artifactKey, ProjectVersionDetails details)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            """
            UPDATE project_versions SET status = $to, status_message = $m, artifact_dir = $dir, details = $details, host_owner = NULL
            WHERE id = $id AND status = $from
            """)
            .With("$to", to).With("$m", message).With("$dir", artifactKey).With("$details", Serialize(details)).With("$id", id).With("$from", from);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>
    /// Versions left in one of <paramref name="from"/> by a process that is gone (its owner no longer runs) move to
    /// <paramref name="to"/> with <paramref name="message"/>; returns how many.
    /// </summary>
    private int RecoverOrphans(IReadOnlyCollection<string> from, string to, string message)
    {
        using var connection = database.Open();
        var stale = new List<long>();
        using (var command = connection.CreateCommand())
        {
            var sql = new System.Text.StringBuilder("SELECT id, host_owner FROM project_versions WHERE 1 = 1");
            ProjectStore.AppendIn(sql, command, "status", "$s", from);
            command.CommandText = sql.ToString();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (!OperationOwner.IsAlive(reader.NullableString(1)))
                {
                    stale.Add(reader.GetInt64(0));
                }
            }
        }

        foreach (var id in stale)
        {
            using var update = connection.CreateCommand();
            var sql = new System.Text.StringBuilder("UPDATE project_versions SET status = $to, status_message = $m, host_owner = NULL WHERE id = $id");
            ProjectStore.AppendIn(sql, update, "status", "$s", from);
            update.CommandText = sql.ToString();
            update.Parameters.AddWithValue("$to", to);
            update.Parameters.AddWithValue("$m", message);
            update.Parameters.AddWithValue("$id", id);
            update.ExecuteNonQuery();
        }

        return stale.Count;
    }

    private static string Serialize(ProjectVersionDetails details) => JsonSerializer.Serialize(details, CatalogJsonContext.Default.ProjectVersionDetails);

    // Rows written before schema 3 (by an older process on this catalog) may still hold a path: read as a key.
    private VersionRecord Read(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetString(5), r.NullableString(6),
        r.IsDBNull(7) ? null : r.GetInt32(7), r.IsDBNull(8) ? null : r.GetInt32(8), ArtifactKeys.FromStored(r.NullableString(9), database.StoreRoot),
        r.IsDBNull(10) ? new ProjectVersionDetails() : JsonSerializer.Deserialize(r.GetString(10), CatalogJsonContext.Default.ProjectVersionDetails)!,
        r.NullableString(11));
}
