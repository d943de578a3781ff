using Npgsql;
using Rekognition.PostgreSql.Tests.TestSupport;

namespace Rekognition.PostgreSql.Tests.Provider;

/// <summary>A bulk import leaves the planner statistics of what it wrote (a table never analysed plans as if empty).</summary>
public class ImportStatisticsTests : FreshCatalog
{
    [TestCase(12_000, true)]
    [TestCase(50, false)]
    public void ABulkImport_AnalysesEntriesAndTheirLabels_BeforeItCommits(int entries, bool analysed)
    {
        Assert.That(Catalog.Projects.TryInsert("p", "arn:p", 1, "CREATED", "CUSTOM_LABELS", null), Is.True);
        var datasetId = CreateDataset("arn:p");
        var line = "{\"source-ref\":\"s3://b/x.png\"}"u8.ToArray();
        using (var transaction = Catalog.BeginTransaction(bulkWrites: true))
        {
            using var writer = Catalog.Entries.OpenWriter(transaction, datasetId, mayReplace: false);
            for (var i = 0; i < entries; i++)
            {
                var id = writer.WriteEntry($"s3://b/{i}.png", line, isLabeled: true, hasErrors: false);
                writer.WriteLabel(id, i % 2 == 0 ? "cat" : "dog", onBoundingBox: false);
            }

            writer.Complete();
            transaction.Commit();
        }

        // last_analyze is a manual ANALYZE's (autovacuum's is last_autoanalyze); reltuples what the planner believes.
        using var connection = new NpgsqlConnection(TestPostgres.ConnectionString + ";Pooling=false");
        connection.Open();
        using var stats = new NpgsqlCommand(
            "SELECT s.relname, s.last_analyze IS NOT NULL, c.reltuples FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid " +
            "WHERE s.schemaname = @schema AND s.relname IN ('entries', 'entry_labels') ORDER BY s.relname", connection);
        stats.Parameters.AddWithValue("schema", Schema);
        var rows = new List<(string Table, bool Analysed, float Tuples)>();
        using (var reader = stats.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetBoolean(1), reader.GetFloat(2)));
            }
        }

        Assert.That(rows.Select(r => r.Table), Is.EqualTo(new[] { "entries", "entry_labels" }));
        Assert.That(rows.Select(r => r.Analysed), Has.All.EqualTo(analysed));
        if (analysed)
        {
            Assert.That(rows.Select(r => r.Tuples), Has.All.EqualTo((float)entries).Within(1f), "the planner knows how many rows there are");
        }
    }
}
