using Npgsql;
using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Tests.TestSupport;

namespace Rekognition.PostgreSql.Tests.Provider;

/// <summary>The versioned migrations: applied once, by one host at a time, and not again.</summary>
public class MigrationTests
{
    [Test]
    public async Task HostsStartingTogether_TakeTurns_AndApplyEachStepOnce()
    {
        var (schema, connectionString) = TestPostgres.NewSchema();
        try
        {
            // Four hosts open a catalog that does not exist yet at the same moment: without the lock two of them would
            // both create the tables (and one fail on "already exists") or record a step twice.
            using var start = new Barrier(4);
            var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return PostgreSqlCatalog.Open(connectionString);
            })));
            foreach (var catalog in opened)
            {
                catalog.Dispose();
            }

            using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
            connection.Open();
            using var steps = new NpgsqlCommand("SELECT version FROM rekognition_migrations ORDER BY version", connection);
            var applied = new List<int>();
            using (var reader = steps.ExecuteReader())
            {
                while (reader.Read())
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            Assert.That(applied, Is.EqualTo(Migrations.PgMigrations.Steps.Select(s => s.Version)), "every step recorded exactly once, in order");

            // A later start finds nothing to do and the catalog works.
            using var again = PostgreSqlCatalog.Open(connectionString);
            Assert.That(again.Projects.TryInsert("p", "arn:p", 1, "CREATED", "CUSTOM_LABELS", null), Is.True);
            Assert.That(again.Projects.FindByArn("arn:p")!.Name, Is.EqualTo("p"));
        }
        finally
        {
            TestPostgres.DropSchema(schema);
        }
    }

    [Test]
    public void TheTrigramIndex_AnswersSourceRefContains()
    {
        var (schema, connectionString) = TestPostgres.NewSchema();
        try
        {
            using var catalog = PostgreSqlCatalog.Open(connectionString);
            using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
            connection.Open();
            using var index = new NpgsqlCommand("SELECT indexdef FROM pg_indexes WHERE schemaname = @s AND indexname = 'entries_source_ref_trigrams'", connection);
            index.Parameters.AddWithValue("s", schema);
            Assert.That(index.ExecuteScalar() as string, Does.Contain("gin").And.Contain("gin_trgm_ops"));
        }
        finally
        {
            TestPostgres.DropSchema(schema);
        }
    }
}
