using System.Text.Json;
using Npgsql;
using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>Model versions in the PostgreSQL catalog, with the status of their lifecycle; every check-and-change is one statement or one transaction.</summary>
internal sealed class PgVersionStore(PgDatabase database) : IVersionCatalog
{
    private const string Columns = "id, project_id, name, arn, created_ms, status, status_message, min_units, max_units, artifact_key, details, host_owner";

    public bool TryInsert(long projectId, string name, string arn, long createdMs, string status, string? message, string? artifactKey, ProjectVersionDetails details, bool owned = false) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                """
                INSERT INTO project_versions (project_id, name, arn, created_ms, status, status_message, artifact_key, details, host_owner)
                VALUES (@p, @name, @arn, @created, @status, @message, @key, @details, @owner) ON CONFLICT (project_id, name) DO NOTHING
                """)
                .With("p", projectId).With("name", name).With("arn", arn).With("created", createdMs).With("status", status)
                .Text("message", message).Text("key", artifactKey).With("details", Serialize(details))
                .Text("owner", owned ? OperationOwner.Current : null);
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

    public bool TryTransition(long id, IReadOnlyCollection<string> from, string target, string? message, int? minUnits = null, int? maxUnits = null, bool setUnits = false, bool hosting = false) =>
        database.Run(null, (connection, _) =>
        {
            var units = setUnits ? ", min_units = @min, max_units = @max" : string.Empty;
            using var command = connection.Command(
                $"UPDATE project_versions SET status = @to, status_message = @message, host_owner = @owner{units} WHERE id = @id AND status = ANY(@from)")
                .With("to", target).Text("message", message).Text("owner", hosting ? OperationOwner.Current : null).With("id", id).Texts("from", from);
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

    public int RecoverHosting() => RecoverOrphans(
        ["STARTING", "RUNNING", "STOPPING"], "STOPPED", "The model stopped because the process hosting it ended. Start it again with StartProjectVersion.");

    public void UpdateMessage(long id, string status, string message) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("UPDATE project_versions SET status_message = @m WHERE id = @id AND status = @s")
                .With("m", message).With("id", id).With("s", status);
            command.ExecuteNonQuery();
        });

    public bool TryFinishTraining(long id, string status, string message, string? artifactKey, ProjectVersionDetails details) =>
        TryFinish(id, "TRAINING_IN_PROGRESS", status, message, artifactKey, details);

    /// <summary>
    /// Trainings left TRAINING_IN_PROGRESS by a process that is gone: those <paramref name="canResume"/> accepts are claimed
    /// by this process and returned, the others fail. Each claim checks the row still has the dead owner, so two hosts
    /// starting at once cannot both take a training.
    /// </summary>
    public (int Failed, List<VersionRecord> Resumed) RecoverTraining(Func<VersionRecord, bool> canResume, string resumeMessage)
    {
        ArgumentNullException.ThrowIfNull(canResume);
        return database.Run(null, (connection, _) =>
        {
            List<VersionRecord> stale;
            using (var command = connection.Command($"SELECT {Columns} FROM project_versions WHERE status = 'TRAINING_IN_PROGRESS'"))
            {
                stale = command.ReadAll(Read).Where(v => !OperationOwner.IsAlive(v.HostOwner)).ToList();
            }

            var failed = 0;
            var resumed = new List<VersionRecord>();
            foreach (var version in stale)
            {
                var resume = canResume(version);
                using var update = connection.Command(
                    """
                    UPDATE project_versions SET status = @to, status_message = @m, host_owner = @owner
                    WHERE id = @id AND status = 'TRAINING_IN_PROGRESS' AND host_owner IS NOT DISTINCT FROM @old
                    """)
                    .With("to", resume ? "TRAINING_IN_PROGRESS" : "TRAINING_FAILED")
                    .With("m", resume ? resumeMessage : "Training stopped because the process running it ended. It left no checkpoint to resume from: train a new version with CreateProjectVersion.")
                    .Text("owner", resume ? OperationOwner.Current : null)
                    .With("id", version.Id)
                    .Text("old", version.HostOwner);
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
        });
    }

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
    public CopyInsertOutcome TryInsertCopy(long projectId, string name, string arn, long createdMs, string message, ProjectVersionDetails details, int maxCopying) =>
        database.InTransaction(null, (connection, tx) =>
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
                INSERT INTO project_versions (project_id, name, arn, created_ms, status, status_message, details, host_owner)
                VALUES (@p, @name, @arn, @created, 'COPYING_IN_PROGRESS', @message, @details, @owner)
                """, tx)
                .With("p", projectId).With("name", name).With("arn", arn).With("created", createdMs)
                .With("message", message).With("details", Serialize(details)).With("owner", OperationOwner.Current);
            insert.ExecuteNonQuery();
            return CopyInsertOutcome.Inserted;
        });

    public bool TryFinishCopy(long id, string status, string message, string? artifactKey, ProjectVersionDetails details) =>
        TryFinish(id, "COPYING_IN_PROGRESS", status, message, artifactKey, details);

    public int RecoverCopying() => RecoverOrphans(
        ["COPYING_IN_PROGRESS"], "COPYING_FAILED", "The copy stopped because the process running it ended. Copy the model again with CopyProjectVersion.");

    private bool TryFinish(long id, string from, string to, string message, string? artifactKey, ProjectVersionDetails details) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                """
                UPDATE project_versions SET status = @to, status_message = @m, artifact_key = @key, details = @details, host_owner = NULL
                WHERE id = @id AND status = @from
                """)
                .With("to", to).With("m", message).Text("key", artifactKey).With("details", Serialize(details)).With("id", id).With("from", from);
            return command.ExecuteNonQuery() == 1;
        });

    /// <summary>Versions left in one of <paramref name="from"/> by a process that is gone move to <paramref name="to"/>; returns how many.</summary>
    private int RecoverOrphans(string[] from, string to, string message) =>
        database.Run(null, (connection, _) =>
        {
            List<(long Id, string? Owner)> candidates;
            using (var command = connection.Command("SELECT id, host_owner FROM project_versions WHERE status = ANY(@from)").Texts("from", from))
            {
                candidates = command.ReadAll(r => (r.GetInt64(0), r.NullableString(1)));
            }

            var recovered = 0;
            foreach (var (id, owner) in candidates.Where(c => !OperationOwner.IsAlive(c.Owner)))
            {
                using var update = connection.Command(
                    """
                    UPDATE project_versions SET status = @to, status_message = @m, host_owner = NULL
                    WHERE id = @id AND status = ANY(@from) AND host_owner IS NOT DISTINCT FROM @owner
                    """).With("to", to).With("m", message).With("id", id).Texts("from", from).Text("owner", owner);
                recovered += update.ExecuteNonQuery();
            }

            return recovered;
        });

    private static string Serialize(ProjectVersionDetails details) => JsonSerializer.Serialize(details, PgJsonContext.Default.ProjectVersionDetails);

    private static VersionRecord Read(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetString(5), r.NullableString(6),
        r.IsDBNull(7) ? null : r.GetInt32(7), r.IsDBNull(8) ? null : r.GetInt32(8), r.NullableString(9),
        r.IsDBNull(10) ? new ProjectVersionDetails() : JsonSerializer.Deserialize(r.GetString(10), PgJsonContext.Default.ProjectVersionDetails)!,
        r.NullableString(11));
}
