using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>The retraining loop's policies and promotion history, on SQLite (schema 6).</summary>
internal sealed class RetrainingStore(CatalogDatabase database) : IRetrainingCatalog
{
    private const string PolicyColumns =
        "project_id, alias_name, enabled, min_new_labeled, min_new_feedback, every_ms, labeled_mark, feedback_mark, last_training_ms, pending_version_arn, last_outcome";

    /// <summary>Schema 6: one policy row per project; promotion decisions in the order they were made.</summary>
    public static void CreateSchema(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.Command(
            """
            CREATE TABLE IF NOT EXISTS retraining_policies (
                project_id INTEGER PRIMARY KEY,
                alias_name TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                min_new_labeled INTEGER NULL,
                min_new_feedback INTEGER NULL,
                every_ms INTEGER NULL,
                labeled_mark INTEGER NOT NULL,
                feedback_mark INTEGER NOT NULL,
                last_training_ms INTEGER NOT NULL,
                pending_version_arn TEXT NULL,
                last_outcome TEXT NULL
            );
            CREATE TABLE IF NOT EXISTS promotions (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL,
                alias_name TEXT NOT NULL,
                candidate_arn TEXT NOT NULL,
                previous_arn TEXT NULL,
                metric TEXT NOT NULL,
                candidate_score REAL NOT NULL,
                previous_score REAL NULL,
                promoted INTEGER NOT NULL,
                reason TEXT NOT NULL,
                at_ms INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS promotions_by_project ON promotions (project_id, id);
            """, transaction);
        command.ExecuteNonQuery();
    }

    public void PutPolicy(long projectId, RetrainingSettings settings, long labeledMark, long feedbackMark, long nowMs)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            $"""
            INSERT INTO retraining_policies ({PolicyColumns}) VALUES ($p, $alias, $enabled, $labeled, $feedback, $every, $lm, $fm, $now, NULL, NULL)
            ON CONFLICT (project_id) DO UPDATE SET alias_name = excluded.alias_name, enabled = excluded.enabled,
              min_new_labeled = excluded.min_new_labeled, min_new_feedback = excluded.min_new_feedback, every_ms = excluded.every_ms
            """).With("$p", projectId).With("$alias", settings.AliasName).With("$enabled", settings.Enabled ? 1 : 0)
            .With("$labeled", settings.MinNewLabeledImages).With("$feedback", settings.MinNewFeedbackItems).With("$every", settings.EveryMs).With("$lm", labeledMark).With("$fm", feedbackMark).With("$now", nowMs);
        command.ExecuteNonQuery();
    }

    public RetrainingPolicyRecord? FindPolicy(long projectId)
    {
        using var connection = database.Open();
        using var command = connection.Command($"SELECT {PolicyColumns} FROM retraining_policies WHERE project_id = $p").With("$p", projectId);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new RetrainingPolicyRecord(reader.GetInt64(0),
                new RetrainingSettings(reader.GetString(1), reader.GetInt64(2) != 0, Int(reader, 3), Int(reader, 4), reader.IsDBNull(5) ? null : reader.GetInt64(5)),
                reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.NullableString(9), reader.NullableString(10))
            : null;
    }

    public IReadOnlyList<long> ActiveProjects()
    {
        using var connection = database.Open();
        using var command = connection.Command("SELECT project_id FROM retraining_policies WHERE enabled = 1 OR pending_version_arn IS NOT NULL ORDER BY project_id");
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    public bool TryBeginTraining(long projectId, string? expectedPending, string versionArn, long labeledMark, long feedbackMark, long nowMs)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            """
            UPDATE retraining_policies SET pending_version_arn = $v, labeled_mark = $l, feedback_mark = $f, last_training_ms = $now
            WHERE project_id = $p AND pending_version_arn IS $e
            """).With("$p", projectId).With("$e", expectedPending).With("$v", versionArn).With("$l", labeledMark).With("$f", feedbackMark).With("$now", nowMs);
        return command.ExecuteNonQuery() == 1;
    }

    public bool TryEndTraining(long projectId, string versionArn, string outcome, long nowMs)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            "UPDATE retraining_policies SET pending_version_arn = NULL, last_outcome = $o WHERE project_id = $p AND pending_version_arn = $v")
            .With("$p", projectId).With("$v", versionArn).With("$o", outcome);
        return command.ExecuteNonQuery() == 1;
    }

    public void AddPromotion(PromotionRecord promotion)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            """
            INSERT INTO promotions (project_id, alias_name, candidate_arn, previous_arn, metric, candidate_score, previous_score, promoted, reason, at_ms)
            VALUES ($p, $alias, $candidate, $previous, $metric, $cs, $ps, $promoted, $reason, $at)
            """).With("$p", promotion.ProjectId).With("$alias", promotion.AliasName).With("$candidate", promotion.CandidateArn).With("$previous", promotion.PreviousArn)
            .With("$metric", promotion.Metric).With("$cs", promotion.CandidateScore).With("$ps", promotion.PreviousScore).With("$promoted", promotion.Promoted ? 1 : 0)
            .With("$reason", promotion.Reason).With("$at", promotion.AtMs);
        command.ExecuteNonQuery();
    }

    public IReadOnlyList<PromotionRecord> ListPromotions(long projectId, int limit)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            """
            SELECT project_id, alias_name, candidate_arn, previous_arn, metric, candidate_score, previous_score, promoted, reason, at_ms
            FROM promotions WHERE project_id = $p ORDER BY id DESC LIMIT $limit
            """).With("$p", projectId).With("$limit", limit);
        using var reader = command.ExecuteReader();
        var rows = new List<PromotionRecord>();
        while (reader.Read())
        {
            rows.Add(new PromotionRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.NullableString(3), reader.GetString(4), reader.GetDouble(5),
                reader.IsDBNull(6) ? null : reader.GetDouble(6), reader.GetInt64(7) != 0, reader.GetString(8), reader.GetInt64(9)));
        }

        return rows;
    }

    private static int? Int(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
}
