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

    [Test]
    public void WithoutPgTrgm_TheCatalogStarts_WarnsOnce_AndSourceRefContainsScans()
    {
        // A search path without public, where the tests' pg_trgm lives: its operator class is out of reach, as on a server
        // whose extension cannot be created.
        var (schema, withPublic) = TestPostgres.NewSchema();
        var connectionString = new NpgsqlConnectionStringBuilder(withPublic) { SearchPath = schema }.ConnectionString;
        try
        {
            var logger = new WarningLog();
            using var catalog = PostgreSqlCatalog.Open(connectionString, logger);
            Assert.That(logger.Warnings, Has.Count.EqualTo(1).And.Some.Contains("pg_trgm"));
            using (var connection = new NpgsqlConnection(connectionString + ";Pooling=false"))
            {
                connection.Open();
                using var index = new NpgsqlCommand("SELECT to_regclass('entries_source_ref_trigrams') IS NULL", connection);
                Assert.That(index.ExecuteScalar(), Is.True, "no index");
            }

            Assert.That(catalog.Projects.TryInsert("p", "arn:p", 1, "CREATED", "CUSTOM_LABELS", null), Is.True);
            Assert.That(catalog.Datasets.TryInsert(null, catalog.Projects.FindByArn("arn:p")!.Id, "TRAIN", "arn:d", 1, out var datasetId), Is.True);
            using (var transaction = catalog.BeginTransaction())
            {
                using (var writer = catalog.Entries.OpenWriter(transaction, datasetId, mayReplace: true))
                {
                    writer.WriteEntry("s3://b/cat_1.png", "{}"u8.ToArray(), isLabeled: false, hasErrors: false);
                    writer.WriteEntry("s3://b/dog_1.png", "{}"u8.ToArray(), isLabeled: false, hasErrors: false);
                    writer.Complete();
                }

                transaction.Commit();
            }

            Assert.That(catalog.Entries.ListEntries(datasetId, new EntryFilter(null, null, "dog_", null), 0, 10), Has.Count.EqualTo(1));
        }
        finally
        {
            TestPostgres.DropSchema(schema);
        }
    }

    private sealed class WarningLog : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Warnings { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
