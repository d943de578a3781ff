using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>
/// Durable jobs on SQLite (schema 4, <see cref="CatalogDatabase"/>). A claim is one write transaction (SQLite's
/// <c>BEGIN IMMEDIATE</c>: one writer at a time) whose update checks again that the lease it replaces has lapsed, so
/// two hosts racing for a job never both get it.
/// </summary>
internal sealed class JobStore(CatalogDatabase database) : IJobCatalog
{
    private const string Columns = "id, kind, resource_arn, payload, owner, lease_until_ms, attempts, created_ms";

    // The table as schema 8 has it: AUTOINCREMENT (a plain rowid takes the largest id + 1, which a deleted last job
    // frees), and schema 7's stop request.
    private const string TableColumns = """
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        resource_arn TEXT NOT NULL,
        payload TEXT NOT NULL,
        owner TEXT NULL,
        lease_until_ms INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_ms INTEGER NOT NULL,
        cancel_requested INTEGER NOT NULL DEFAULT 0
        """;

    private const string Indexes = """
        CREATE INDEX IF NOT EXISTS jobs_claimable ON jobs (kind, lease_until_ms, id);
        CREATE INDEX IF NOT EXISTS jobs_by_owner ON jobs (owner);
        CREATE INDEX IF NOT EXISTS jobs_by_resource ON jobs (resource_arn);
        """;

    /// <summary>Schema 4: the jobs table (no row: nothing to run) and the index hosts claim through, made as schema 8 has them.</summary>
    public static void CreateSchema(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.Command($"CREATE TABLE IF NOT EXISTS jobs ({TableColumns}); {Indexes}", transaction);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Schema 8: a jobs table made by an older build is made again with AUTOINCREMENT, so a finished (deleted) job's id is
    /// never given to a new job; its rows and indexes come across as they are.
    /// </summary>
    public static void NeverReuseIds(SqliteConnection connection, SqliteTransaction transaction)
    {
        using (var made = connection.Command("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'jobs'", transaction))
        {
            if (made.ExecuteScalar() is string sql && sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        using var command = connection.Command(
            $"""
            CREATE TABLE jobs_autoincrement ({TableColumns});
            INSERT INTO jobs_autoincrement (id, kind, resource_arn, payload, owner, lease_until_ms, attempts, created_ms, cancel_requested)
            SELECT id, kind, resource_arn, payload, owner, lease_until_ms, attempts, created_ms, cancel_requested FROM jobs;
            DROP TABLE jobs;
            ALTER TABLE jobs_autoincrement RENAME TO jobs;
            {Indexes}
            """, transaction);
        command.ExecuteNonQuery();
    }

    public long Enqueue(ICatalogTransaction? transaction, JobKind kind, string resourceArn, string payload, long nowMs, string? ownerHostId = null, long leaseUntilMs = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceArn);
        ArgumentNullException.ThrowIfNull(payload);
        using var scope = database.Use(transaction);
        using var command = scope.Connection.Command(
            """
            INSERT INTO jobs (kind, resource_arn, payload, created_ms, owner, lease_until_ms, attempts)
            VALUES ($kind, $arn, $payload, $now, $owner, $until, $attempts) RETURNING id
            """, scope.Transaction)
            .With("$kind", kind.ToString()).With("$arn", resourceArn).With("$payload", payload).With("$now", nowMs)
            .With("$owner", ownerHostId).With("$until", ownerHostId is null ? 0 : leaseUntilMs).With("$attempts", ownerHostId is null ? 0 : 1);
        return command.Scalar();
    }

    public JobRecord? TryClaim(IReadOnlyCollection<JobKind> kinds, string hostId, long nowMs, long leaseUntilMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostId);
        if (kinds.Count == 0)
        {
            return null;
        }

        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(); // BEGIN IMMEDIATE: the write lock first, then the look
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var kindList = InList(command, kinds);
        command.CommandText =
            $"""
            UPDATE jobs SET owner = $host, lease_until_ms = $until, attempts = attempts + 1
            WHERE id = (SELECT id FROM jobs WHERE kind IN ({kindList}) AND lease_until_ms < $now ORDER BY id LIMIT 1)
              AND lease_until_ms < $now
            RETURNING {Columns}
            """;
        command.With("$host", hostId).With("$until", leaseUntilMs).With("$now", nowMs);
        JobRecord? claimed = null;
        using (var reader = command.ExecuteReader())
        {
            if (reader.Read())
            {
                claimed = Read(reader);
            }
        }

        transaction.Commit();
        return claimed;
    }

    public IReadOnlyCollection<long> Renew(string hostId, long leaseUntilMs)
    {
        using var connection = database.Open();
        using var command = connection.Command("UPDATE jobs SET lease_until_ms = $until WHERE owner = $host RETURNING id")
            .With("$until", leaseUntilMs).With("$host", hostId);
        using var reader = command.ExecuteReader();
        var held = new List<long>();
        while (reader.Read())
        {
            held.Add(reader.GetInt64(0));
        }

        return held;
    }

    public bool RequestCancel(JobKind kind, string resourceArn)
    {
        using var connection = database.Open();
        using var command = connection.Command("UPDATE jobs SET cancel_requested = 1 WHERE kind = $kind AND resource_arn = $arn")
            .With("$kind", kind.ToString()).With("$arn", resourceArn);
        return command.ExecuteNonQuery() > 0;
    }

    public bool RemoveUnclaimed(ICatalogTransaction? transaction, JobKind kind, string resourceArn)
    {
        using var scope = database.Use(transaction);
        using var command = scope.Connection.Command("DELETE FROM jobs WHERE kind = $kind AND resource_arn = $arn AND owner IS NULL", scope.Transaction)
            .With("$kind", kind.ToString()).With("$arn", resourceArn);
        return command.ExecuteNonQuery() > 0;
    }

    public IReadOnlyCollection<long> CancelRequested(string hostId)
    {
        using var connection = database.Open();
        using var command = connection.Command("SELECT id FROM jobs WHERE owner = $host AND cancel_requested <> 0").With("$host", hostId);
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    public bool Complete(ICatalogTransaction? transaction, long jobId, string hostId)
    {
        using var scope = database.Use(transaction);
        using var command = scope.Connection.Command("DELETE FROM jobs WHERE id = $id AND owner = $host", scope.Transaction)
            .With("$id", jobId).With("$host", hostId);
        return command.ExecuteNonQuery() == 1;
    }

    public void Release(long jobId, string hostId)
    {
        using var connection = database.Open();
        using var command = connection.Command("UPDATE jobs SET owner = NULL, lease_until_ms = 0 WHERE id = $id AND owner = $host")
            .With("$id", jobId).With("$host", hostId);
        command.ExecuteNonQuery();
    }

    public bool AnyClaimable(IReadOnlyCollection<JobKind> kinds, long nowMs)
    {
        if (kinds.Count == 0)
        {
            return false;
        }

        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var kindList = InList(command, kinds);
        command.CommandText = $"SELECT EXISTS (SELECT 1 FROM jobs WHERE kind IN ({kindList}) AND lease_until_ms < $now)";
        command.With("$now", nowMs);
        return command.Scalar() != 0;
    }

    public long? NextLeaseLapse(IReadOnlyCollection<JobKind> kinds, string hostId, long sinceMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostId);
        if (kinds.Count == 0)
        {
            return null;
        }

        // The claim index (kind, lease_until_ms, id) answers each kind's minimum; a queued job (lease 0, no owner) is held by nobody.
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var kindList = InList(command, kinds);
        command.CommandText = $"SELECT MIN(lease_until_ms) FROM jobs WHERE kind IN ({kindList}) AND lease_until_ms >= $since AND owner <> $host";
        command.With("$since", sinceMs).With("$host", hostId);
        return command.ExecuteScalar() is long lapse ? lapse : null;
    }

    public IReadOnlyList<JobRecord> ForResource(string resourceArn)
    {
        using var connection = database.Open();
        using var command = connection.Command($"SELECT {Columns} FROM jobs WHERE resource_arn = $arn ORDER BY id").With("$arn", resourceArn);
        using var reader = command.ExecuteReader();
        var jobs = new List<JobRecord>();
        while (reader.Read())
        {
            jobs.Add(Read(reader));
        }

        return jobs;
    }

    private static string InList(SqliteCommand command, IReadOnlyCollection<JobKind> kinds)
    {
        var names = new List<string>(kinds.Count);
        var i = 0;
        foreach (var kind in kinds)
        {
            var name = $"$k{i++}";
            command.Parameters.AddWithValue(name, kind.ToString());
            names.Add(name);
        }

        return string.Join(", ", names);
    }

    private static JobRecord Read(SqliteDataReader r) => new(
        r.GetInt64(0), Enum.Parse<JobKind>(r.GetString(1)), r.GetString(2), r.GetString(3), r.NullableString(4), r.GetInt64(5), r.GetInt32(6), r.GetInt64(7));
}
