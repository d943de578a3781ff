using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>Which hosts serve which running versions, on SQLite (schema 4).</summary>
internal sealed class ServingStore(CatalogDatabase database) : IServingCatalog
{
    /// <summary>Schema 4: one row per (version, serving host), with the host's lease.</summary>
    public static void CreateSchema(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.Command(
            """
            CREATE TABLE IF NOT EXISTS serving_hosts (
                version_id INTEGER NOT NULL,
                host_id TEXT NOT NULL,
                lease_until_ms INTEGER NOT NULL,
                PRIMARY KEY (version_id, host_id)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS serving_hosts_by_host ON serving_hosts (host_id);
            """, transaction);
        command.ExecuteNonQuery();
    }

    public void Register(long versionId, string hostId, long leaseUntilMs)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            """
            INSERT INTO serving_hosts (version_id, host_id, lease_until_ms) VALUES ($v, $host, $until)
            ON CONFLICT (version_id, host_id) DO UPDATE SET lease_until_ms = excluded.lease_until_ms
            """).With("$v", versionId).With("$host", hostId).With("$until", leaseUntilMs);
        command.ExecuteNonQuery();
    }

    public void Unregister(long versionId, string hostId)
    {
        using var connection = database.Open();
        using var command = connection.Command("DELETE FROM serving_hosts WHERE version_id = $v AND host_id = $host").With("$v", versionId).With("$host", hostId);
        command.ExecuteNonQuery();
    }

    public void Renew(string hostId, long leaseUntilMs)
    {
        using var connection = database.Open();
        using var command = connection.Command("UPDATE serving_hosts SET lease_until_ms = $until WHERE host_id = $host").With("$until", leaseUntilMs).With("$host", hostId);
        command.ExecuteNonQuery();
    }

    public int CountServing(long versionId, long nowMs)
    {
        using var connection = database.Open();
        using var command = connection.Command("SELECT COUNT(*) FROM serving_hosts WHERE version_id = $v AND lease_until_ms >= $now").With("$v", versionId).With("$now", nowMs);
        return (int)command.Scalar();
    }

    public IReadOnlyList<ServedVersion> Wanted()
    {
        using var connection = database.Open();
        using var command = connection.Command(
            "SELECT id, arn, status, COALESCE(min_units, 1), COALESCE(max_units, min_units, 1) FROM project_versions WHERE status IN ('STARTING', 'RUNNING') ORDER BY id");
        using var reader = command.ExecuteReader();
        var wanted = new List<ServedVersion>();
        while (reader.Read())
        {
            wanted.Add(new ServedVersion(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4)));
        }

        return wanted;
    }

    public int RequestDrain(long versionId, string exceptHostId)
    {
        using var connection = database.Open();
        using var command = connection.Command("UPDATE serving_hosts SET drain = 1 WHERE version_id = $v AND host_id <> $host").With("$v", versionId).With("$host", exceptHostId);
        return command.ExecuteNonQuery();
    }

    public IReadOnlyList<long> DrainRequested(string hostId)
    {
        using var connection = database.Open();
        using var command = connection.Command("SELECT version_id FROM serving_hosts WHERE host_id = $host AND drain = 1").With("$host", hostId);
        using var reader = command.ExecuteReader();
        var versions = new List<long>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt64(0));
        }

        return versions;
    }

    public void ReportDrained(long versionId, string hostId)
    {
        using var connection = database.Open();
        using var command = connection.Command("UPDATE serving_hosts SET drain = 2 WHERE version_id = $v AND host_id = $host AND drain = 1").With("$v", versionId).With("$host", hostId);
        command.ExecuteNonQuery();
    }

    public int CountDraining(long versionId, long nowMs)
    {
        using var connection = database.Open();
        using var command = connection.Command("SELECT COUNT(*) FROM serving_hosts WHERE version_id = $v AND drain = 1 AND lease_until_ms >= $now").With("$v", versionId).With("$now", nowMs);
        return (int)command.Scalar();
    }
}
