using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>Which hosts serve which running versions, in the PostgreSQL catalog: one row per (version, host) with the host's lease.</summary>
internal sealed class PgServingStore(PgDatabase database) : IServingCatalog
{
    public void Register(long versionId, string hostId, long leaseUntilMs) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                """
                INSERT INTO serving_hosts (version_id, host_id, lease_until_ms) VALUES (@v, @host, @until)
                ON CONFLICT (version_id, host_id) DO UPDATE SET lease_until_ms = excluded.lease_until_ms
                """).With("v", versionId).With("host", hostId).With("until", leaseUntilMs);
            command.ExecuteNonQuery();
        });

    public void Unregister(long versionId, string hostId) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("DELETE FROM serving_hosts WHERE version_id = @v AND host_id = @host").With("v", versionId).With("host", hostId);
            command.ExecuteNonQuery();
        });

    public void Renew(string hostId, long leaseUntilMs) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("UPDATE serving_hosts SET lease_until_ms = @until WHERE host_id = @host").With("until", leaseUntilMs).With("host", hostId);
            command.ExecuteNonQuery();
        });

    public int CountServing(long versionId, long nowMs) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("SELECT COUNT(*) FROM serving_hosts WHERE version_id = @v AND lease_until_ms >= @now").With("v", versionId).With("now", nowMs);
            return (int)command.Scalar();
        });

    public IReadOnlyList<ServedVersion> Wanted() =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                "SELECT id, arn, status, COALESCE(min_units, 1), COALESCE(max_units, min_units, 1) FROM project_versions WHERE status IN ('STARTING', 'RUNNING') ORDER BY id");
            return command.ReadAll(r => new ServedVersion(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4)));
        });

    public int RequestDrain(long versionId, string exceptHostId) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("UPDATE serving_hosts SET drain = 1 WHERE version_id = @v AND host_id <> @host").With("v", versionId).With("host", exceptHostId);
            return command.ExecuteNonQuery();
        });

    public IReadOnlyList<long> DrainRequested(string hostId) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("SELECT version_id FROM serving_hosts WHERE host_id = @host AND drain = 1").With("host", hostId);
            return command.ReadAll(r => r.GetInt64(0));
        });

    public void ReportDrained(long versionId, string hostId) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("UPDATE serving_hosts SET drain = 2 WHERE version_id = @v AND host_id = @host AND drain = 1").With("v", versionId).With("host", hostId);
            command.ExecuteNonQuery();
        });

    public int CountDraining(long versionId, long nowMs) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("SELECT COUNT(*) FROM serving_hosts WHERE version_id = @v AND drain = 1 AND lease_until_ms >= @now").With("v", versionId).With("now", nowMs);
            return (int)command.Scalar();
        });
}
