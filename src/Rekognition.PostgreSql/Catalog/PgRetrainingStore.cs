using Npgsql;
using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>The retraining loop's policies and promotion history, in the PostgreSQL catalog (migration 5).</summary>
internal sealed class PgRetrainingStore(PgDatabase database) : IRetrainingCatalog
{
    private const string PolicyColumns =
        "project_id, alias_name, enabled, min_new_labeled, min_new_feedback, every_ms, labeled_mark, feedback_mark, last_training_ms, pending_version_arn, last_outcome";

    public void PutPolicy(long projectId, RetrainingSettings settings, long labeledMark, long feedbackMark, long nowMs) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                $"""
                INSERT INTO retraining_policies ({PolicyColumns}) VALUES (@p, @alias, @enabled, @labeled, @feedback, @every, @lm, @fm, @now, NULL, NULL)
                ON CONFLICT (project_id) DO UPDATE SET alias_name = excluded.alias_name, enabled = excluded.enabled,
                  min_new_labeled = excluded.min_new_labeled, min_new_feedback = excluded.min_new_feedback, every_ms = excluded.every_ms
                """).With("p", projectId).With("alias", settings.AliasName).With("enabled", settings.Enabled)
                .Int("labeled", settings.MinNewLabeledImages).Int("feedback", settings.MinNewFeedbackItems).With("lm", labeledMark).With("fm", feedbackMark).With("now", nowMs);
            command.Parameters.Add(new NpgsqlParameter("every", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)settings.EveryMs ?? DBNull.Value });
            command.ExecuteNonQuery();
        });

    public RetrainingPolicyRecord? FindPolicy(long projectId) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command($"SELECT {PolicyColumns} FROM retraining_policies WHERE project_id = @p").With("p", projectId);
            return command.ReadFirst(r => new RetrainingPolicyRecord(r.GetInt64(0),
                new RetrainingSettings(r.GetString(1), r.GetBoolean(2), r.IsDBNull(3) ? null : r.GetInt32(3), r.IsDBNull(4) ? null : r.GetInt32(4), r.IsDBNull(5) ? null : r.GetInt64(5)),
                r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.NullableString(9), r.NullableString(10)));
        });

    public IReadOnlyList<long> ActiveProjects() =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("SELECT project_id FROM retraining_policies WHERE enabled OR pending_version_arn IS NOT NULL ORDER BY project_id");
            return command.ReadAll(r => r.GetInt64(0));
        });

    public bool TryBeginTraining(long projectId, string? expectedPending, string versionArn, long labeledMark, long feedbackMark, long nowMs) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                """
                UPDATE retraining_policies SET pending_version_arn = @v, labeled_mark = @l, feedback_mark = @f, last_training_ms = @now
                WHERE project_id = @p AND pending_version_arn IS NOT DISTINCT FROM @e
                """).With("p", projectId).Text("e", expectedPending).With("v", versionArn).With("l", labeledMark).With("f", feedbackMark).With("now", nowMs);
            return command.ExecuteNonQuery() == 1;
        });

    public bool TryEndTraining(long projectId, string versionArn, string outcome, long nowMs) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                "UPDATE retraining_policies SET pending_version_arn = NULL, last_outcome = @o WHERE project_id = @p AND pending_version_arn = @v")
                .With("p", projectId).With("v", versionArn).With("o", outcome);
            return command.ExecuteNonQuery() == 1;
        });

    public void AddPromotion(PromotionRecord promotion) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                """
                INSERT INTO promotions (project_id, alias_name, candidate_arn, previous_arn, metric, candidate_score, previous_score, promoted, reason, at_ms)
                VALUES (@p, @alias, @candidate, @previous, @metric, @cs, @ps, @promoted, @reason, @at)
                """).With("p", promotion.ProjectId).With("alias", promotion.AliasName).With("candidate", promotion.CandidateArn).Text("previous", promotion.PreviousArn)
                .With("metric", promotion.Metric).With("cs", promotion.CandidateScore).With("promoted", promotion.Promoted)
                .With("reason", promotion.Reason).With("at", promotion.AtMs);
            command.Parameters.Add(new NpgsqlParameter("ps", NpgsqlTypes.NpgsqlDbType.Double) { Value = (object?)promotion.PreviousScore ?? DBNull.Value });
            command.ExecuteNonQuery();
        });

    public IReadOnlyList<PromotionRecord> ListPromotions(long projectId, int limit) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                """
                SELECT project_id, alias_name, candidate_arn, previous_arn, metric, candidate_score, previous_score, promoted, reason, at_ms
                FROM promotions WHERE project_id = @p ORDER BY id DESC LIMIT @limit
                """).With("p", projectId).With("limit", limit);
            return command.ReadAll(r => new PromotionRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.NullableString(3), r.GetString(4), r.GetDouble(5),
                r.IsDBNull(6) ? null : r.GetDouble(6), r.GetBoolean(7), r.GetString(8), r.GetInt64(9)));
        });
}
