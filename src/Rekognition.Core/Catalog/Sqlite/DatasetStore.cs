using Microsoft.Data.Sqlite;
using Rekognition.Core.Model;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>Datasets in the catalog and the status of the operation last run on each.</summary>
internal sealed class DatasetStore(CatalogDatabase database) : IDatasetCatalog
{
    private const string Columns = "id, project_id, type, arn, created_ms, updated_ms, status, status_message, status_message_code";

    /// <summary>Inserts a dataset whose creation is starting; false when the project already has one of that type.</summary>
    public bool TryInsert(ICatalogTransaction? transaction, long projectId, string type, string arn, long nowMs, out long id)
    {
        using var scope = database.Use(transaction);
        return TryInsert(scope.Connection, scope.Transaction, projectId, type, arn, nowMs, out id);
    }

    private static bool TryInsert(SqliteConnection connection, SqliteTransaction? transaction, long projectId, string type, string arn, long nowMs, out long id)
    {
        using var command = connection.Command(
            """
            INSERT INTO datasets (project_id, type, arn, created_ms, updated_ms, status, status_message, status_message_code)
            VALUES ($project, $type, $arn, $now, $now, $status, NULL, NULL)
            ON CONFLICT(project_id, type) DO NOTHING
            RETURNING id
            """, transaction)
            .With("$project", projectId).With("$type", type).With("$arn", arn).With("$now", nowMs)
            .With("$status", DatasetStatus.CREATE_IN_PROGRESS.Value);
        var result = command.ExecuteScalar();
        id = result is null ? 0 : Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
        return result is not null;
    }

    public DatasetRecord? FindByArn(string arn, ICatalogTransaction? transaction = null)
    {
        using var scope = database.Use(transaction);
        return FindByArn(scope.Connection, scope.Transaction, arn);
    }

    private static DatasetRecord? FindByArn(SqliteConnection connection, SqliteTransaction? transaction, string arn)
    {
        using var command = connection.Command($"SELECT {Columns} FROM datasets WHERE arn = $arn", transaction).With("$arn", arn);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public List<DatasetRecord> ListForProject(long projectId, ICatalogTransaction? transaction = null)
    {
        using var scope = database.Use(transaction);
        return ListForProject(scope.Connection, scope.Transaction, projectId);
    }

    private static List<DatasetRecord> ListForProject(SqliteConnection connection, SqliteTransaction? transaction, long projectId)
    {
        using var command = connection.Command($"SELECT {Columns} FROM datasets WHERE project_id = $p ORDER BY type DESC", transaction).With("$p", projectId);
        using var reader = command.ExecuteReader();
        var result = new List<DatasetRecord>();
        while (reader.Read())
        {
            result.Add(Read(reader));
        }

        return result;
    }

    public List<DatasetRecord> ListForProjects(IReadOnlyCollection<long> projectIds)
    {
        ArgumentNullException.ThrowIfNull(projectIds);
        if (projectIds.Count == 0)
        {
            return [];
        }

        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var sql = new System.Text.StringBuilder($"SELECT {Columns} FROM datasets WHERE project_id IN (");
        var i = 0;
        foreach (var id in projectIds)
        {
            var name = "$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            sql.Append(i++ == 0 ? "" : ", ").Append(name);
            command.Parameters.AddWithValue(name, id);
        }

        command.CommandText = sql.Append(") ORDER BY project_id, type DESC").ToString();
        using var reader = command.ExecuteReader();
        var result = new List<DatasetRecord>();
        while (reader.Read())
        {
            result.Add(Read(reader));
        }

        return result;
    }

    /// <summary>
    /// Moves a dataset into an in-progress status unless an operation is already running on it: the check
    /// and the change are one statement, so two callers cannot both start.
    /// </summary>
    public bool TryBeginOperation(ICatalogTransaction? transaction, long datasetId, DatasetStatus inProgress, long nowMs)
    {
        using var scope = database.Use(transaction);
        return TryBeginOperation(scope.Connection, scope.Transaction, datasetId, inProgress, nowMs);
    }

    private static bool TryBeginOperation(SqliteConnection connection, SqliteTransaction? transaction, long datasetId, DatasetStatus inProgress, long nowMs)
    {
        using var command = connection.Command(
            """
            UPDATE datasets SET status = $status, status_message = NULL, status_message_code = NULL, updated_ms = $now
            WHERE id = $id AND status NOT IN ('CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS')
            """, transaction)
            .With("$status", inProgress.Value).With("$now", nowMs).With("$id", datasetId);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>Records how the running operation ended.</summary>
    private static void FinishOperation(SqliteConnection connection, SqliteTransaction? transaction, long datasetId, DatasetStatus status, string message, DatasetStatusMessageCode code, long nowMs)
    {
        using var command = connection.Command(
            "UPDATE datasets SET status = $status, status_message = $message, status_message_code = $code, updated_ms = $now WHERE id = $id",
            transaction)
            .With("$status", status.Value).With("$message", message).With("$code", code.Value).With("$now", nowMs).With("$id", datasetId);
        command.ExecuteNonQuery();
    }

    public void FinishOperation(ICatalogTransaction? transaction, long datasetId, DatasetStatus status, string message, DatasetStatusMessageCode code, long nowMs)
    {
        using var scope = database.Use(transaction);
        FinishOperation(scope.Connection, scope.Transaction, datasetId, status, message, code, nowMs);
    }

    public DatasetCounts Counts(long datasetId)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            """
            SELECT
              (SELECT COUNT(*) FROM entries WHERE dataset_id = $id),
              (SELECT COUNT(*) FROM entries WHERE dataset_id = $id AND is_labeled = 1),
              (SELECT COUNT(*) FROM entries WHERE dataset_id = $id AND has_errors = 1),
              (SELECT COUNT(*) FROM dataset_labels WHERE dataset_id = $id)
            """).With("$id", datasetId);
        using var reader = command.ExecuteReader();
        reader.Read();
        return new DatasetCounts(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
    }

    /// <summary>Deletes the dataset with its entries, labels and tags in one transaction.</summary>
    public void Delete(ICatalogTransaction transaction, DatasetRecord dataset)
    {
        var (connection, sqlite) = SqliteCatalogTransaction.Of(transaction);
        foreach (var sql in new[]
                 {
                     "DELETE FROM entry_labels WHERE dataset_id = $id",
                     "DELETE FROM dataset_labels WHERE dataset_id = $id",
                     "DELETE FROM entries WHERE dataset_id = $id",
                     "DELETE FROM datasets WHERE id = $id",
                 })
        {
            using var command = connection.Command(sql, sqlite).With("$id", dataset.Id);
            command.ExecuteNonQuery();
        }

        using var tags = connection.Command("DELETE FROM tags WHERE resource_arn = $arn", sqlite).With("$arn", dataset.Arn);
        tags.ExecuteNonQuery();
    }

    /// <summary>
    /// Marks as failed every operation left in progress with no job to finish it (none on the project's datasets: a
    /// distribution's one job names the training dataset). A job is deleted only with the status change that ends its
    /// operation, so this is work a schema-3 process left. Its partial work was never committed: only the status is mended.
    /// </summary>
    public int RecoverInterrupted(long nowMs)
    {
        using var connection = database.Open();
        using var update = connection.Command(
            """
            UPDATE datasets SET
              status = CASE status WHEN 'CREATE_IN_PROGRESS' THEN 'CREATE_FAILED' ELSE 'UPDATE_FAILED' END,
              status_message = $message, status_message_code = $code, updated_ms = $now
            WHERE status IN ('CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS')
              AND NOT EXISTS (SELECT 1 FROM jobs j JOIN datasets o ON o.arn = j.resource_arn WHERE o.project_id = datasets.project_id)
            """)
            .With("$message", "The operation was interrupted because the process running it stopped; none of its changes were kept. Run it again.")
            .With("$code", DatasetStatusMessageCode.SERVICE_ERROR.Value).With("$now", nowMs);
        return update.ExecuteNonQuery();
    }

    private static DatasetRecord Read(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5), r.GetString(6),
            r.NullableString(7), r.NullableString(8));

    /// <summary>How many distinct labels a dataset has.</summary>
    public long CountLabels(ICatalogTransaction? transaction, long datasetId)
    {
        using var scope = database.Use(transaction);
        using var command = scope.Connection.Command("SELECT COUNT(*) FROM dataset_labels WHERE dataset_id = $id", scope.Transaction).With("$id", datasetId);
        return command.Scalar();
    }

    public long CountEntries(ICatalogTransaction? transaction, long datasetId)
    {
        using var scope = database.Use(transaction);
        using var command = scope.Connection.Command("SELECT COUNT(*) FROM entries WHERE dataset_id = $id", scope.Transaction).With("$id", datasetId);
        return command.Scalar();
    }
}
