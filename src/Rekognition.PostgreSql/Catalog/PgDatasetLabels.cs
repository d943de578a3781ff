using Npgsql;
using NpgsqlTypes;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>Extends a dataset's declared label set with the labels an import wrote.</summary>
internal static class PgDatasetLabels
{
    private const string Sql = "INSERT INTO dataset_labels (dataset_id, label) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING";

    public static void Add(PgCatalogTransaction transaction, long datasetId, IEnumerable<string> labels) =>
        transaction.Database.Run(transaction, (connection, tx) =>
        {
            using var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { Command(datasetId, labels) } };
            batch.ExecuteNonQuery();
        });

    /// <summary>The same insert as one command of a caller's batch.</summary>
    public static NpgsqlBatchCommand Command(long datasetId, IEnumerable<string> labels)
    {
        var command = new NpgsqlBatchCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = datasetId });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = labels.ToArray() });
        return command;
    }
}
