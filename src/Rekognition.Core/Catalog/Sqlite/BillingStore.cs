using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>The intervals each version ran and on how many units, on SQLite (schema 6).</summary>
internal sealed class BillingStore(CatalogDatabase database) : IBillingCatalog
{
    /// <summary>Schema 6: one row per running interval; the partial unique index keeps one open interval per version.</summary>
    public static void CreateSchema(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.Command(
            """
            CREATE TABLE IF NOT EXISTS billing_intervals (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL,
                version_id INTEGER NOT NULL,
                version_arn TEXT NOT NULL,
                units INTEGER NOT NULL,
                start_ms INTEGER NOT NULL,
                end_ms INTEGER NULL
            );
            CREATE INDEX IF NOT EXISTS billing_by_version ON billing_intervals (version_id, start_ms);
            CREATE INDEX IF NOT EXISTS billing_by_project ON billing_intervals (project_id, version_id, start_ms);
            CREATE UNIQUE INDEX IF NOT EXISTS billing_one_open ON billing_intervals (version_id) WHERE end_ms IS NULL;
            """, transaction);
        command.ExecuteNonQuery();
    }

    public void RecordRunning(long versionId, int units, long atMs)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        using (var close = connection.Command(
                   "UPDATE billing_intervals SET end_ms = MAX(start_ms, $at) WHERE version_id = $v AND end_ms IS NULL AND units <> $units", transaction)
               .With("$v", versionId).With("$units", units).With("$at", atMs))
        {
            close.ExecuteNonQuery();
        }

        // Only while the version runs, so a stop recorded first is never undone by a late start.
        using (var open = connection.Command(
                   """
                   INSERT INTO billing_intervals (project_id, version_id, version_arn, units, start_ms)
                   SELECT project_id, id, arn, $units, $at FROM project_versions WHERE id = $v AND status = 'RUNNING'
                   ON CONFLICT DO NOTHING
                   """, transaction).With("$v", versionId).With("$units", units).With("$at", atMs))
        {
            open.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public void RecordStopped(long versionId, long atMs)
    {
        using var connection = database.Open();
        using var command = connection.Command("UPDATE billing_intervals SET end_ms = MAX(start_ms, $at) WHERE version_id = $v AND end_ms IS NULL")
            .With("$v", versionId).With("$at", atMs);
        command.ExecuteNonQuery();
    }

    public int Reconcile(long nowMs)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        using var close = connection.Command(
            """
            UPDATE billing_intervals SET end_ms = MAX(start_ms, MIN($now, COALESCE(
                (SELECT MAX(h.lease_until_ms) FROM serving_hosts h WHERE h.version_id = billing_intervals.version_id), $now)))
            WHERE end_ms IS NULL
              AND NOT EXISTS (SELECT 1 FROM project_versions v WHERE v.id = billing_intervals.version_id AND v.status = 'RUNNING')
            """, transaction).With("$now", nowMs);
        var changed = close.ExecuteNonQuery();
        using var open = connection.Command(
            """
            INSERT INTO billing_intervals (project_id, version_id, version_arn, units, start_ms)
            SELECT v.project_id, v.id, v.arn, COALESCE(v.min_units, 1), $now FROM project_versions v
            WHERE v.status = 'RUNNING' AND NOT EXISTS (SELECT 1 FROM billing_intervals b WHERE b.version_id = v.id AND b.end_ms IS NULL)
            ON CONFLICT DO NOTHING
            """, transaction).With("$now", nowMs);
        changed += open.ExecuteNonQuery();
        transaction.Commit();
        return changed;
    }

    public IReadOnlyList<BillingIntervalRecord> ListForVersion(long versionId) =>
        Read("WHERE version_id = $id ORDER BY start_ms, id", versionId);

    public IReadOnlyList<BillingIntervalRecord> ListForProject(long projectId) =>
        Read("WHERE project_id = $id ORDER BY version_id, start_ms, id", projectId);

    private List<BillingIntervalRecord> Read(string where, long id)
    {
        using var connection = database.Open();
        using var command = connection.Command($"SELECT version_id, version_arn, units, start_ms, end_ms FROM billing_intervals {where}").With("$id", id);
        using var reader = command.ExecuteReader();
        var rows = new List<BillingIntervalRecord>();
        while (reader.Read())
        {
            rows.Add(new BillingIntervalRecord(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }

        return rows;
    }
}
