using Npgsql;
using Rekognition.PostgreSql.Tests.TestSupport;

namespace Rekognition.PostgreSql.Tests.Provider;

/// <summary>
/// Every entry belongs to a dataset that exists, held by the server (migration 9's per-statement checks, which took the
/// place of the foreign key): whatever writes the rows, and while a dataset with entries is being deleted.
/// </summary>
public class EntryIntegrityTests : FreshCatalog
{
    private static readonly byte[] Line = "{\"source-ref\":\"s3://b/x.png\"}"u8.ToArray();

    private string ConnectionString => new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { SearchPath = $"{Schema},public" }.ConnectionString;

    private long NewDataset()
    {
        Assert.That(Catalog.Projects.TryInsert("p", "arn:p", 1, "CREATED", "CUSTOM_LABELS", null), Is.True);
        return CreateDataset("arn:p");
    }

    private void Write(long datasetId, bool mayReplace, params string[] sourceRefs)
    {
        using var transaction = Catalog.BeginTransaction(bulkWrites: !mayReplace);
        using (var writer = Catalog.Entries.OpenWriter(transaction, datasetId, mayReplace))
        {
            foreach (var sourceRef in sourceRefs)
            {
                writer.WriteLabel(writer.WriteEntry(sourceRef, Line, isLabeled: true, hasErrors: false), "cat", onBoundingBox: false);
            }

            writer.Complete();
        }

        transaction.Commit();
    }

    private static void AssertForeignKeyViolation(TestDelegate write, string because)
    {
        var thrown = Assert.Catch(write, because)!;
        var postgres = thrown as PostgresException ?? thrown.InnerException as PostgresException;
        Assert.That(postgres?.SqlState, Is.EqualTo(PostgresErrorCodes.ForeignKeyViolation), $"{because}: {thrown}");
    }

    [Test]
    public void EntriesOfADatasetThatDoesNotExist_AreRefused_ByEveryWritePath()
    {
        var datasetId = NewDataset();
        var missing = datasetId + 1000;

        AssertForeignKeyViolation(() => Write(missing, mayReplace: false, "s3://b/1.png", "s3://b/2.png"), "a bulk import (COPY)");
        AssertForeignKeyViolation(() => Write(missing, mayReplace: true, "s3://b/1.png"), "an update (upsert)");
        Write(datasetId, mayReplace: false, "s3://b/1.png", "s3://b/2.png");
        AssertForeignKeyViolation(() => TestPostgres.Execute(ConnectionString, "UPDATE entries SET dataset_id = @m", ("m", missing)), "a move");
        AssertForeignKeyViolation(
            () => TestPostgres.Execute(ConnectionString, "INSERT INTO entries (dataset_id, source_ref, line, is_labeled, has_errors) VALUES (@d, 'a', '', true, false), (@m, 'b', '', true, false)",
                ("d", datasetId), ("m", missing)),
            "a statement writing to an existing and a missing dataset");

        Assert.That(Catalog.Datasets.CountEntries(null, missing), Is.Zero);
        Assert.That(Catalog.Datasets.CountEntries(null, datasetId), Is.EqualTo(2), "the good writes are kept");
    }

    [Test]
    public void ADatasetWithEntries_CannotBeDeletedRenumberedOrTruncated_UntilItsEntriesGo()
    {
        var datasetId = NewDataset();
        Write(datasetId, mayReplace: false, "s3://b/1.png");

        AssertForeignKeyViolation(() => TestPostgres.Execute(ConnectionString, "DELETE FROM datasets WHERE id = @d", ("d", datasetId)), "a delete");
        AssertForeignKeyViolation(() => TestPostgres.Execute(ConnectionString, "UPDATE datasets SET id = id + 1000 WHERE id = @d", ("d", datasetId)), "a new id");
        AssertForeignKeyViolation(() => TestPostgres.Execute(ConnectionString, "TRUNCATE datasets"), "a truncation");
        Assert.That(TestPostgres.Execute(ConnectionString, "UPDATE datasets SET status = 'UPDATE_COMPLETE' WHERE id = @d", ("d", datasetId)), Is.EqualTo(1),
            "other changes to the dataset are not checked");

        using (var transaction = Catalog.BeginTransaction())
        {
            Catalog.Datasets.Delete(transaction, Catalog.Datasets.FindByArn("arn:ds", transaction)!);
            transaction.Commit();
        }

        Assert.That(Catalog.Datasets.FindByArn("arn:ds"), Is.Null, "the store's delete removes the entries first");
    }

    [Test]
    public async Task ADeleteOfADatasetBeingImported_WaitsForTheImport_AndThenFails()
    {
        var datasetId = NewDataset();
        using var import = Catalog.BeginTransaction(bulkWrites: true);
        using (var writer = Catalog.Entries.OpenWriter(import, datasetId, mayReplace: false))
        {
            writer.WriteEntry("s3://b/1.png", Line, isLabeled: false, hasErrors: false);
            writer.Complete();
        }

        // The import's check holds the dataset row (FOR KEY SHARE): the delete waits, then finds the committed entries.
        var delete = Task.Run(() => TestPostgres.Execute(ConnectionString, "DELETE FROM datasets WHERE id = @d", ("d", datasetId)));
        await Task.WhenAny(delete, Task.Delay(500));
        Assert.That(delete.IsCompleted, Is.False, "the delete waits for the import's transaction");
        import.Commit();

        AssertForeignKeyViolation(() => delete.GetAwaiter().GetResult(), "the delete after the import committed");
        Assert.That(Catalog.Datasets.CountEntries(null, datasetId), Is.EqualTo(1));
    }
}
