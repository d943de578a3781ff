using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>Extends a dataset's declared label set with the labels an import wrote.</summary>
internal static class PgDatasetLabels
{
    public static void Add(PgCatalogTransaction transaction, long datasetId, IEnumerable<string> labels) =>
        transaction.Database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command(
                "INSERT INTO dataset_labels (dataset_id, label) SELECT @ds, unnest(@labels) ON CONFLICT DO NOTHING", tx)
                .With("ds", datasetId).Texts("labels", labels);
            command.ExecuteNonQuery();
        });
}
