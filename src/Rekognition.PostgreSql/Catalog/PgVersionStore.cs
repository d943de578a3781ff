using System.Text.Json;
using Npgsql;
using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>Model versions in the PostgreSQL catalog, with the status of their lifecycle; every check-and-change is one statement or one transaction.</summary>
internal sealed class PgVersionStore(PgDatabase database) : IVersionCatalog
{
    private const string Columns = "id, project_id, name, arn, created_ms, status, status_message, min_units, max_units, artifact_key, details";

    public bool TryInsert(long projectId, string name, string arn, long createdMs, string status, string? message, string? artifactKey, ProjectVersionDetails details, ICatalogTransaction? transaction = null) =>
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command(
                """
                INSERT INTO project_versions (project_id, name, arn, created_ms, status, status_message, artifact_key, details)
                VALUES (@p, @name, @arn, @created, @status, @message, @key, @details) ON CONFLICT (project_id, name) DO NOTHING
                """, tx)
                .With("p", projectId).With("name", name).With("arn", arn).With("created", createdMs).With("status", status)
                .Text("message", message).Text("key", artifactKey).With("details", Serialize(details));
            return command.ExecuteNonQuery() == 1;
        });

    public VersionRecord? FindByArn(string arn) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command($"SELECT {Columns} FROM project_versions WHERE arn = @arn").With("arn", arn);
            return command.ReadFirst(Read);
        });

    public List<VersionRecord> List(long projectId, IReadOnlyCollection<string>? names, long beforeId, int limit) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                $"""
                SELECT {Columns} FROM project_versions WHERE project_id = @p AND id < @before AND (@names::text[] IS NULL OR name = ANY(@names))
                ORDER BY id DESC LIMIT @limit
                """).With("p", projectId).With("before", beforeId).With("limit", limit);
            PgProjectStore.AnyOf(command, "names", names);
            return command.ReadAll(Read);
        });

    public long CountForProject(long projectId, ICatalogTransaction? transaction = null) =>
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command("SELECT COUNT(*) FROM project_versions WHERE project_id = @p", tx).With("p", projectId);
            return command.Scalar();
        });

    public bool TryTransition(long id, IReadOnlyCollection<string> from, string target, string? message, int? minUnits = null, int? maxUnits = null, bool setUnits = false) =>
        database.Run(null, (connection, _) =>
        {
            var units = setUnits ? ", min_units = @min, max_units = @max" : string.Empty;
            using var command = connection.Command(
                $"UPDATE project_versions SET status = @to, status_message = @message{units} WHERE id = @id AND status = ANY(@from)")
                .With("to", target).Text("message", message).With("id", id).Texts("from", from);
            if (setUnits)
            {
                command.Int("min", minUnits).Int("max", maxUnits);
            }

            return command.ExecuteNonQuery() == 1;
        });

    public void Delete(VersionRecord version)
    {
        ArgumentNullException.ThrowIfNull(version);
        database.InTransaction(null, (connection, tx) =>
        {
            using var command = connection.Command(
                """
                DELETE FROM project_versions WHERE id = @id;
                DELETE FROM tags WHERE resource_arn = @arn;
                """, tx).With("id", version.Id).With("arn", version.Arn);
            return command.ExecuteNonQuery();
        });
    }

    /// <summary>RUNNING or STOPPING versions that no host serves under a live lease become STOPPED, in one statement.</summary>
    public int RecoverHosting(long nowMs) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                """
                UPDATE project_versions SET status = 'STOPPED',
                  status_message = CASE status WHEN 'STOPPING' THEN @stopped ELSE @ended END
                WHERE status IN ('RUNNING', 'STOPPING')
                  AND NOT EXISTS (SELECT 1 FROM serving_hosts h WHERE h.version_id = project_versions.id AND h.lease_until_ms >= @now)
                """)
                .With("stopped", "The model has stopped running.")
                .With("ended", "The model stopped because the process hosting it ended (every host serving it). Start it again with StartProjectVersion.")
                .With("now", nowMs);
            return command.ExecuteNonQuery();
        });

    public void UpdateMessage(long id, string status, string message) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("UPDATE project_versions SET status_message = @m WHERE id = @id AND status = @s")
                .With("m", message).With("id", id).With("s", status);
            command.ExecuteNonQuery();
        });

    public bool TryFinishTraining(long id, string status, string message, string? artifactKey, ProjectVersionDetails details, ICatalogTransaction? transaction = null) =>
        TryFinish(id, "TRAINING_IN_PROGRESS", status, message, artifactKey, details, transaction);

    /// <summary>Trainings in progress with no job (left by a process from before jobs) become TRAINING_FAILED.</summary>
    public int RecoverTraining() => FailWithoutJob(
        "TRAINING_IN_PROGRESS", "TRAINING_FAILED", "Training stopped because the process running it ended. Train a new version with CreateProjectVersion.");

    public void UpdateProgress(long id, string status, string message, ProjectVersionDetails details) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("UPDATE project_versions SET status_message = @m, details = @details WHERE id = @id AND status = @s")
                .With("m", message).With("details", Serialize(details)).With("id", id).With("s", status);
            command.ExecuteNonQuery();
        });

    /// <summary>
    /// Inserts a copy COPYING_IN_PROGRESS unless the name is taken or <paramref name="maxCopying"/> copies run. The
    /// destination project's row is locked first, so concurrent copies into one project are counted one after another.
    /// </summary>
    public CopyInsertOutcome TryInsertCopy(ICatalogTransaction transaction, long projectId, string name, string arn, long createdMs, string message, ProjectVersionDetails details, int maxCopying) =>
        database.InTransaction(transaction ?? throw new ArgumentNullException(nameof(transaction)), (connection, tx) =>
        {
            using (var lockProject = connection.Command("SELECT 1 FROM projects WHERE id = @p FOR UPDATE", tx).With("p", projectId))
            {
                lockProject.ExecuteNonQuery();
            }

            using (var taken = connection.Command("SELECT COUNT(*) FROM project_versions WHERE project_id = @p AND name = @n", tx).With("p", projectId).With("n", name))
            {
                if (taken.Scalar() > 0)
                {
                    return CopyInsertOutcome.NameTaken;
                }
            }

            using (var copying = connection.Command("SELECT COUNT(*) FROM project_versions WHERE project_id = @p AND status = 'COPYING_IN_PROGRESS'", tx).With("p", projectId))
            {
                if (copying.Scalar() >= maxCopying)
                {
                    return CopyInsertOutcome.TooManyCopies;
                }
            }

            using var insert = connection.Command(
                """
                INSERT INTO project_versions (project_id, name, arn, created_ms, status, status_message, details)
                VALUES (@p, @name, @arn, @created, 'COPYING_IN_PROGRESS', @message, @details)
                """, tx)
                .With("p", projectId).With("name", name).With("arn", arn).With("created", createdMs)
                .With("message", message).With("details", Serialize(details));
            insert.ExecuteNonQuery();
            return CopyInsertOutcome.Inserted;
        });

    public bool TryFinishCopy(long id, string status, string message, string? artifactKey, ProjectVersionDetails details, ICatalogTransaction? transaction = null) =>
        TryFinish(id, "COPYING_IN_PROGRESS", status, message, artifactKey, details, transaction);

    /// <summary>Copies in progress with no job (left by a process from before jobs) become COPYING_FAILED.</summary>
    public int RecoverCopying() => FailWithoutJob(
        "COPYING_IN_PROGRESS", "COPYING_FAILED", "The copy stopped because the process running it ended. Copy the model again with CopyProjectVersion.");

    private bool TryFinish(long id, string from, string to, string message, string? artifactKey, ProjectVersionDetails details, ICatalogTransaction? transaction) =>
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command(
                """
                UPDATE project_versions SET status = @to, status_message = @m, artifact_key = @key, details = @details
                WHERE id = @id AND status = @from
                """, tx)
                .With("to", to).With("m", message).Text("key", artifactKey).With("details", Serialize(details)).With("id", id).With("from", from);
            return command.ExecuteNonQuery() == 1;
        });

    /// <summary>Versions in <paramref name="from"/> that no job works on move to <paramref name="to"/> with <paramref name="message"/>, in one statement.</summary>
    private int FailWithoutJob(string from, string to, string message) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                """
                UPDATE project_versions SET status = @to, status_message = @m
                WHERE status = @from AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.resource_arn = project_versions.arn)
                """).With("to", to).With("m", message).With("from", from);
            return command.ExecuteNonQuery();
        });

    private static string Serialize(ProjectVersionDetails details) => JsonSerializer.Serialize(details, PgJsonContext.Default.ProjectVersionDetails);

    private static VersionRecord Read(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetString(5), r.NullableString(6),
        r.IsDBNull(7) ? null : r.GetInt32(7), r.IsDBNull(8) ? null : r.GetInt32(8), r.NullableString(9),
        r.IsDBNull(10) ? new ProjectVersionDetails() : JsonSerializer.Deserialize(r.GetString(10), PgJsonContext.Default.ProjectVersionDetails)!);
}
