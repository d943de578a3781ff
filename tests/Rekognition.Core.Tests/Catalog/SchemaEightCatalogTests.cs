using Microsoft.Data.Sqlite;
using Rekognition.Core.Catalog;
using Rekognition.Core.Catalog.Sqlite;

namespace Rekognition.Core.Tests.Catalog;

/// <summary>Schema 8: job ids are never given twice, and SourceRefContains' trigram index covers a migrated catalog's entries.</summary>
public class SchemaEightCatalogTests
{
    private DirectoryInfo _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("rk-catalog-");

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        _temp.Delete(recursive: true);
    }

    [Test]
    public void AFinishedJobsId_IsNeverGivenToANewJob()
    {
        var catalog = new SqliteCatalog(_temp.FullName);
        var first = catalog.Jobs.Enqueue(null, JobKind.Import, "arn:a", "{}", nowMs: 1);
        var last = catalog.Jobs.Enqueue(null, JobKind.Import, "arn:b", "{}", nowMs: 1);
        Assert.That(catalog.Jobs.TryClaim([JobKind.Import], "h", nowMs: 2, leaseUntilMs: 100)!.Id, Is.EqualTo(first));
        Assert.That(catalog.Jobs.TryClaim([JobKind.Import], "h", nowMs: 2, leaseUntilMs: 100)!.Id, Is.EqualTo(last));
        Assert.That(catalog.Jobs.Complete(null, last, "h"), Is.True);
        Assert.That(catalog.Jobs.Complete(null, first, "h"), Is.True);

        // A plain rowid table would hand out `first` again: the largest id left is gone with the table's rows.
        var next = catalog.Jobs.Enqueue(null, JobKind.Import, "arn:c", "{}", nowMs: 3);
        Assert.That(next, Is.GreaterThan(last));

        Assert.That(catalog.Jobs.TryClaim([JobKind.Import], "h", nowMs: 4, leaseUntilMs: 100)!.Id, Is.EqualTo(next));
        Assert.That(catalog.Jobs.Complete(null, next, "h"), Is.True);
        var reopened = new SqliteCatalog(_temp.FullName);
        Assert.That(reopened.Jobs.Enqueue(null, JobKind.Import, "arn:d", "{}", nowMs: 5), Is.GreaterThan(next), "also after a restart");
    }

    [Test]
    public void ACatalogMigratedFromSchemaSeven_FindsItsEntriesThroughTheIndex_AndKeepsItsJobs()
    {
        var catalog = new SqliteCatalog(_temp.FullName);
        Assert.That(catalog.Projects.TryInsert("pets", "arn:project/pets", 1, "CREATED", "CUSTOM_LABELS", null), Is.True);
        Assert.That(catalog.Datasets.TryInsert(null, catalog.Projects.FindByArn("arn:project/pets")!.Id, "TRAIN", "arn:dataset/train", 2, out var datasetId), Is.True);
        using (var transaction = catalog.BeginTransaction())
        {
            using (var writer = catalog.Entries.OpenWriter(transaction, datasetId, mayReplace: false))
            {
                foreach (var name in new[] { "cat_1", "dog_1", "cat_2" })
                {
                    writer.WriteEntry($"s3://b/{name}.png", System.Text.Encoding.UTF8.GetBytes($$"""{"source-ref":"s3://b/{{name}}.png"}"""), isLabeled: false, hasErrors: false);
                }

                writer.Complete();
            }

            transaction.Commit();
        }

        var job = catalog.Jobs.Enqueue(null, JobKind.Train, "arn:v", "{\"x\":1}", nowMs: 7);
        Assert.That(catalog.Jobs.RequestCancel(JobKind.Train, "arn:v"), Is.True);

        // What a schema-7 catalog has: no trigram index, a jobs table on plain row ids; then the start of this build.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_temp.FullName, "catalog.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                DROP TRIGGER entries_source_ref_delete; DROP TRIGGER entries_source_ref_update; DROP TABLE entries_source_ref;
                ALTER TABLE jobs RENAME TO jobs_7;
                CREATE TABLE jobs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, resource_arn TEXT NOT NULL, payload TEXT NOT NULL, owner TEXT NULL,
                    lease_until_ms INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL,
                    cancel_requested INTEGER NOT NULL DEFAULT 0);
                INSERT INTO jobs SELECT * FROM jobs_7;
                DROP TABLE jobs_7;
                DELETE FROM sqlite_sequence;
                PRAGMA user_version = 7;
                """;
            command.ExecuteNonQuery();
        }

        var migrated = new SqliteCatalog(_temp.FullName);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_temp.FullName, "catalog.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sql FROM sqlite_master WHERE name = 'jobs'";
            Assert.That(command.ExecuteScalar(), Does.Contain("AUTOINCREMENT"));
        }

        var found = migrated.Entries.ListEntries(datasetId, new EntryFilter(null, null, "cat_", null), 0, 10);
        Assert.That(found.Select(e => e.Line), Is.EqualTo(new[] { """{"source-ref":"s3://b/cat_1.png"}""", """{"source-ref":"s3://b/cat_2.png"}""" }));
        Assert.That(migrated.Jobs.ForResource("arn:v").Single(), Is.EqualTo(new JobRecord(job, JobKind.Train, "arn:v", "{\"x\":1}", null, 0, 0, 7)));
        Assert.That(migrated.Jobs.TryClaim([JobKind.Train], "h", nowMs: 8, leaseUntilMs: 100)!.Id, Is.EqualTo(job));
        Assert.That(migrated.Jobs.CancelRequested("h"), Is.EqualTo(new[] { job }), "its stop request came across");
        Assert.That(migrated.Jobs.Complete(null, job, "h"), Is.True);
        Assert.That(migrated.Jobs.Enqueue(null, JobKind.Train, "arn:w", "{}", nowMs: 9), Is.GreaterThan(job), "the migrated table does not reuse ids either");
    }
}
