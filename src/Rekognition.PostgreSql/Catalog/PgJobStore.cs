using Npgsql;
using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>
/// Durable jobs in the PostgreSQL catalog. A claim picks the oldest claimable job with <c>FOR UPDATE SKIP LOCKED</c>
/// (hosts racing skip the row another is taking instead of waiting for it) and re-checks the lease in the same
/// statement, so two hosts never both get one job.
/// </summary>
internal sealed class PgJobStore(PgDatabase database) : IJobCatalog
{
    private const string Columns = "id, kind, resource_arn, payload, owner, lease_until_ms, attempts, created_ms";

    public long Enqueue(ICatalogTransaction? transaction, JobKind kind, string resourceArn, string payload, long nowMs, string? ownerHostId = null, long leaseUntilMs = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceArn);
        ArgumentNullException.ThrowIfNull(payload);
        return database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command(
                """
                INSERT INTO jobs (kind, resource_arn, payload, created_ms, owner, lease_until_ms, attempts)
                VALUES (@kind, @arn, @payload, @now, @owner, @until, @attempts) RETURNING id
                """, tx)
                .With("kind", kind.ToString()).With("arn", resourceArn).With("payload", payload).With("now", nowMs)
                .Text("owner", ownerHostId).With("until", ownerHostId is null ? 0L : leaseUntilMs).With("attempts", ownerHostId is null ? 0 : 1);
            return command.Scalar();
        });
    }

    public JobRecord? TryClaim(IReadOnlyCollection<JobKind> kinds, string hostId, long nowMs, long leaseUntilMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostId);
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Count == 0)
        {
            return null;
        }

        return database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                $"""
                UPDATE jobs SET owner = @host, lease_until_ms = @until, attempts = attempts + 1
                WHERE id = (SELECT id FROM jobs WHERE kind = ANY(@kinds) AND lease_until_ms < @now ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                  AND lease_until_ms < @now
                RETURNING {Columns}
                """)
                .With("host", hostId).With("until", leaseUntilMs).With("now", nowMs).Texts("kinds", kinds.Select(k => k.ToString()));
            return command.ReadFirst(Read);
        });
    }

    public IReadOnlyCollection<long> Renew(string hostId, long leaseUntilMs) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("UPDATE jobs SET lease_until_ms = @until WHERE owner = @host RETURNING id").With("until", leaseUntilMs).With("host", hostId);
            return command.ReadAll(r => r.GetInt64(0));
        });

    public bool RequestCancel(JobKind kind, string resourceArn) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("UPDATE jobs SET cancel_requested = true WHERE kind = @kind AND resource_arn = @arn")
                .With("kind", kind.ToString()).With("arn", resourceArn);
            return command.ExecuteNonQuery() > 0;
        });

    public bool RemoveUnclaimed(ICatalogTransaction? transaction, JobKind kind, string resourceArn) =>
        database.Run(transaction, (connection, tx) =>
        {
            // A claim in flight holds the row (FOR UPDATE SKIP LOCKED): the delete waits for it, then finds an owner.
            using var command = connection.Command("DELETE FROM jobs WHERE kind = @kind AND resource_arn = @arn AND owner IS NULL", tx)
                .With("kind", kind.ToString()).With("arn", resourceArn);
            return command.ExecuteNonQuery() > 0;
        });

    public IReadOnlyCollection<long> CancelRequested(string hostId) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("SELECT id FROM jobs WHERE owner = @host AND cancel_requested").With("host", hostId);
            return command.ReadAll(r => r.GetInt64(0));
        });

    public bool Complete(ICatalogTransaction? transaction, long jobId, string hostId) =>
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command("DELETE FROM jobs WHERE id = @id AND owner = @host", tx).With("id", jobId).With("host", hostId);
            return command.ExecuteNonQuery() == 1;
        });

    public void Release(long jobId, string hostId) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("UPDATE jobs SET owner = NULL, lease_until_ms = 0 WHERE id = @id AND owner = @host").With("id", jobId).With("host", hostId);
            command.ExecuteNonQuery();
        });

    public bool AnyClaimable(IReadOnlyCollection<JobKind> kinds, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Count == 0)
        {
            return false;
        }

        return database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("SELECT EXISTS (SELECT 1 FROM jobs WHERE kind = ANY(@kinds) AND lease_until_ms < @now)")
                .Texts("kinds", kinds.Select(k => k.ToString())).With("now", nowMs);
            return (bool)command.ExecuteScalar()!;
        });
    }

    public long? NextLeaseLapse(IReadOnlyCollection<JobKind> kinds, string hostId, long sinceMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostId);
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Count == 0)
        {
            return null;
        }

        // The claim index (kind, lease_until_ms, id) answers it; a queued job (lease 0, no owner) is held by nobody.
        return database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("SELECT MIN(lease_until_ms) FROM jobs WHERE kind = ANY(@kinds) AND lease_until_ms >= @since AND owner <> @host")
                .Texts("kinds", kinds.Select(k => k.ToString())).With("since", sinceMs).With("host", hostId);
            return command.ExecuteScalar() is long lapse ? lapse : (long?)null;
        });
    }

    public IReadOnlyList<JobRecord> ForResource(string resourceArn) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command($"SELECT {Columns} FROM jobs WHERE resource_arn = @arn ORDER BY id").With("arn", resourceArn);
            return command.ReadAll(Read);
        });

    private static JobRecord Read(NpgsqlDataReader r) => new(
        r.GetInt64(0), Enum.Parse<JobKind>(r.GetString(1)), r.GetString(2), r.GetString(3), r.NullableString(4), r.GetInt64(5), r.GetInt32(6), r.GetInt64(7));
}
