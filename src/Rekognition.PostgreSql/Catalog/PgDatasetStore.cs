using Npgsql;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>Datasets in the PostgreSQL catalog and the status of the operation last run on each.</summary>
internal sealed class PgDatasetStore(PgDatabase database) : IDatasetCatalog
{
    private const string Columns = "id, project_id, type, arn, created_ms, updated_ms, status, status_message, status_message_code";

    public bool TryInsert(ICatalogTransaction? transaction, long projectId, string type, string arn, long nowMs, out long id)
    {
        var inserted = database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command(
                """
                INSERT INTO datasets (project_id, type, arn, created_ms, updated_ms, status)
                VALUES (@project, @type, @arn, @now, @now, @status)
                ON CONFLICT (project_id, type) DO NOTHING
                RETURNING id
                """, tx)
                .With("project", projectId).With("type", type).With("arn", arn).With("now", nowMs)
                .With("status", DatasetStatus.CREATE_IN_PROGRESS.Value);
            return command.ExecuteScalar();
        });
        id = inserted is null ? 0 : (long)inserted;
        return inserted is not null;
    }

    public DatasetRecord? FindByArn(string arn, ICatalogTransaction? transaction = null) =>
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command($"SELECT {Columns} FROM datasets WHERE arn = @arn", tx).With("arn", arn);
            return command.ReadFirst(Read);
        });

    public List<DatasetRecord> ListForProject(long projectId, ICatalogTransaction? transaction = null) =>
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command($"SELECT {Columns} FROM datasets WHERE project_id = @p ORDER BY type DESC", tx).With("p", projectId);
            return command.ReadAll(Read);
        });

    public List<DatasetRecord> ListForProjects(IReadOnlyCollection<long> projectIds) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command($"SELECT {Columns} FROM datasets WHERE project_id = ANY(@p) ORDER BY project_id, type DESC")
                .With("p", projectIds.ToArray());
            return command.ReadAll(Read);
        });

    /// <summary>The check and the change are one statement (the row is locked while it runs), so two callers cannot both start.</summary>
    public bool TryBeginOperation(ICatalogTransaction? transaction, long datasetId, DatasetStatus inProgress, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(inProgress);
        return database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command(
                """
                UPDATE datasets SET status = @status, status_message = NULL, status_message_code = NULL, updated_ms = @now
                WHERE id = @id AND status NOT IN ('CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS')
                """, tx)
                .With("status", inProgress.Value).With("now", nowMs).With("id", datasetId);
            return command.ExecuteNonQuery() == 1;
        });
    }

    public void FinishOperation(ICatalogTransaction? transaction, long datasetId, DatasetStatus status, string message, DatasetStatusMessageCode code, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(code);
        database.Run(transaction, (connection, tx) => Finish(connection, tx, datasetId, status, message, code, nowMs));
    }

    private static void Finish(NpgsqlConnection connection, NpgsqlTransaction? transaction, long datasetId, DatasetStatus status, string message, DatasetStatusMessageCode code, long nowMs)
    {
        using var command = connection.Command(
            "UPDATE datasets SET status = @status, status_message = @message, status_message_code = @code, updated_ms = @now WHERE id = @id",
            transaction)
            .With("status", status.Value).With("message", message).With("code", code.Value).With("now", nowMs).With("id", datasetId);
        command.ExecuteNonQuery();
    }

    public DatasetCounts Counts(long datasetId) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                """
                SELECT
                  (SELECT COUNT(*) FROM entries WHERE dataset_id = @id),
                  (SELECT COUNT(*) FROM entries WHERE dataset_id = @id AND NOT is_labeled),
                  (SELECT COUNT(*) FROM entries WHERE dataset_id = @id AND has_errors),
                  (SELECT COUNT(*) FROM dataset_labels WHERE dataset_id = @id)
                """).With("id", datasetId);
            using var reader = command.ExecuteReader();
            reader.Read();

            // The unlabelled are counted (their partial index is small) and the labelled are the rest.
            var total = (int)reader.GetInt64(0);
            return new DatasetCounts(total, total - (int)reader.GetInt64(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3));
        });

    public long CountEntries(ICatalogTransaction? transaction, long datasetId) =>
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command("SELECT COUNT(*) FROM entries WHERE dataset_id = @id", tx).With("id", datasetId);
            return command.Scalar();
        });

    public long CountLabels(ICatalogTransaction? transaction, long datasetId) =>
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command("SELECT COUNT(*) FROM dataset_labels WHERE dataset_id = @id", tx).With("id", datasetId);
            return command.Scalar();
        });

    public void Delete(ICatalogTransaction transaction, DatasetRecord dataset)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(dataset);
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command(
                """
                DELETE FROM entry_labels WHERE dataset_id = @id;
                DELETE FROM dataset_labels WHERE dataset_id = @id;
                DELETE FROM entries WHERE dataset_id = @id;
                DELETE FROM datasets WHERE id = @id;
                DELETE FROM tags WHERE resource_arn = @arn;
                """, tx).With("id", dataset.Id).With("arn", dataset.Arn);
            command.ExecuteNonQuery();
        });
    }

    /// <summary>
    /// Operations in progress with no job to finish them (none on the project's datasets: a distribution's one job names
    /// the training dataset) become failed. A job ends only with the status change that ends its operation, so this is
    /// work left by a process from before jobs; its partial work was never committed, so only the status is mended.
    /// </summary>
    public int RecoverInterrupted(long nowMs) =>
        database.Run(null, (connection, _) =>
        {
            using var update = connection.Command(
                """
                UPDATE datasets SET
                  status = CASE status WHEN 'CREATE_IN_PROGRESS' THEN 'CREATE_FAILED' ELSE 'UPDATE_FAILED' END,
                  status_message = @message, status_message_code = @code, updated_ms = @now
                WHERE status IN ('CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS')
                  AND NOT EXISTS (SELECT 1 FROM jobs j JOIN datasets o ON o.arn = j.resource_arn WHERE o.project_id = datasets.project_id)
                """)
                .With("message", "The operation was interrupted because the process running it stopped; none of its changes were kept. Run it again.")
                .With("code", DatasetStatusMessageCode.SERVICE_ERROR.Value).With("now", nowMs);
            return update.ExecuteNonQuery();
        });

    private static DatasetRecord Read(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5), r.GetString(6),
            r.NullableString(7), r.NullableString(8));
}
