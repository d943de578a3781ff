using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>The intervals each version ran and on how many units, in the PostgreSQL catalog (migration 5).</summary>
internal sealed class PgBillingStore(PgDatabase database) : IBillingCatalog
{
    public void RecordRunning(long versionId, int units, long atMs) =>
        database.InTransaction(null, (connection, tx) =>
        {
            using (var close = connection.Command(
                       "UPDATE billing_intervals SET end_ms = GREATEST(start_ms, @at) WHERE version_id = @v AND end_ms IS NULL AND units <> @units", tx)
                   .With("v", versionId).With("units", units).With("at", atMs))
            {
                close.ExecuteNonQuery();
            }

            // Only while the version runs, so a stop recorded first is never undone by a late start.
            using var open = connection.Command(
                """
                INSERT INTO billing_intervals (project_id, version_id, version_arn, units, start_ms)
                SELECT project_id, id, arn, @units, @at FROM project_versions WHERE id = @v AND status = 'RUNNING'
                ON CONFLICT DO NOTHING
                """, tx).With("v", versionId).With("units", units).With("at", atMs);
            return open.ExecuteNonQuery();
        });

    public void RecordStopped(long versionId, long atMs) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("UPDATE billing_intervals SET end_ms = GREATEST(start_ms, @at) WHERE version_id = @v AND end_ms IS NULL")
                .With("v", versionId).With("at", atMs);
            command.ExecuteNonQuery();
        });

    public int Reconcile(long nowMs) =>
        database.InTransaction(null, (connection, tx) =>
        {
            using var close = connection.Command(
                """
                UPDATE billing_intervals b SET end_ms = GREATEST(b.start_ms, LEAST(@now, COALESCE(
                    (SELECT MAX(h.lease_until_ms) FROM serving_hosts h WHERE h.version_id = b.version_id), @now)))
                WHERE b.end_ms IS NULL
                  AND NOT EXISTS (SELECT 1 FROM project_versions v WHERE v.id = b.version_id AND v.status = 'RUNNING')
                """, tx).With("now", nowMs);
            var changed = close.ExecuteNonQuery();
            using var open = connection.Command(
                """
                INSERT INTO billing_intervals (project_id, version_id, version_arn, units, start_ms)
                SELECT v.project_id, v.id, v.arn, COALESCE(v.min_units, 1), @now FROM project_versions v
                WHERE v.status = 'RUNNING' AND NOT EXISTS (SELECT 1 FROM billing_intervals b WHERE b.version_id = v.id AND b.end_ms IS NULL)
                ON CONFLICT DO NOTHING
                """, tx).With("now", nowMs);
            return changed + open.ExecuteNonQuery();
        });

    public IReadOnlyList<BillingIntervalRecord> ListForVersion(long versionId) =>
        Read("WHERE version_id = @id ORDER BY start_ms, id", versionId);

    public IReadOnlyList<BillingIntervalRecord> ListForProject(long projectId) =>
        Read("WHERE project_id = @id ORDER BY version_id, start_ms, id", projectId);

    private List<BillingIntervalRecord> Read(string where, long id) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command($"SELECT version_id, version_arn, units, start_ms, end_ms FROM billing_intervals {where}").With("id", id);
            return command.ReadAll(r => new BillingIntervalRecord(r.GetInt64(0), r.GetString(1), r.GetInt32(2), r.GetInt64(3), r.IsDBNull(4) ? null : r.GetInt64(4)));
        });
}
