using Microsoft.Data.Sqlite;
using Rekognition.Core.Catalog;
using Rekognition.Core.Catalog.Sqlite;

namespace Rekognition.Core.Tests.Catalog;

/// <summary>The all-or-nothing contract of <see cref="ICatalogTransaction"/> that the services rely on (and a second provider must keep).</summary>
public class CatalogTransactionTests
{
    private DirectoryInfo _temp = null!;
    private ICatalog _catalog = null!;
    private ProjectRecord _project = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = Directory.CreateTempSubdirectory("rk-catalog-");
        _catalog = new SqliteCatalog(_temp.FullName);
        Assert.That(_catalog.Projects.TryInsert("pets", "arn:project/pets", 1, "CREATED", "CUSTOM_LABELS", null), Is.True);
        _project = _catalog.Projects.FindByArn("arn:project/pets")!;
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools(); // pooled connections hold the catalog file open
        _temp.Delete(recursive: true);
    }

    [Test]
    public void WritesInATransaction_AreSeenInsideIt_AndKeptOnlyWhenCommitted()
    {
        var tags = new Dictionary<string, string> { ["team"] = "vision" };
        using (var transaction = _catalog.BeginTransaction())
        {
            Assert.That(_catalog.Datasets.TryInsert(transaction, _project.Id, "TRAIN", "arn:dataset/train", 2, out _), Is.True);
            Assert.That(_catalog.Tags.TryPut("arn:dataset/train", tags, 50, transaction), Is.True);
            Assert.That(_catalog.Datasets.FindByArn("arn:dataset/train", transaction), Is.Not.Null, "read inside the transaction");
        }

        Assert.That(_catalog.Datasets.FindByArn("arn:dataset/train"), Is.Null, "disposed without Commit: nothing kept");
        Assert.That(_catalog.Tags.List("arn:dataset/train"), Is.Empty);

        using (var transaction = _catalog.BeginTransaction())
        {
            Assert.That(_catalog.Datasets.TryInsert(transaction, _project.Id, "TRAIN", "arn:dataset/train", 3, out _), Is.True);
            Assert.That(_catalog.Tags.TryPut("arn:dataset/train", tags, 50, transaction), Is.True);
            transaction.Commit();
        }

        Assert.That(_catalog.Datasets.FindByArn("arn:dataset/train")?.CreatedMs, Is.EqualTo(3));
        Assert.That(_catalog.Tags.List("arn:dataset/train"), Is.EqualTo(tags));
    }

    [Test]
    public void ANewDatasetsWriter_GivesEachEntryItsRowId_AndRefusesARepeatedSourceRef()
    {
        // A new dataset's writer inserts without replacing: its lines are distinct (the validator drops repeats), and a
        // repeat that got through anyway fails instead of replacing the first entry behind the caller's back.
        Assert.That(_catalog.Datasets.TryInsert(null, _project.Id, "TRAIN", "arn:dataset/train", 2, out var id), Is.True);
        using var transaction = _catalog.BeginTransaction(bulkWrites: true);
        using var writer = _catalog.Entries.OpenWriter(transaction, id, mayReplace: false);
        var cat = writer.WriteEntry("s3://pets/cat.jpg", """{"source-ref":"s3://pets/cat.jpg"}"""u8.ToArray(), isLabeled: true, hasErrors: false);
        var dog = writer.WriteEntry("s3://pets/dog.jpg", """{"source-ref":"s3://pets/dog.jpg"}"""u8.ToArray(), isLabeled: true, hasErrors: false);
        writer.WriteLabel(cat, "cat", onBoundingBox: false);
        writer.WriteLabel(cat, "cat", onBoundingBox: true);
        writer.WriteLabel(dog, "dog", onBoundingBox: false);
        Assert.Throws<SqliteException>(() => writer.WriteEntry("s3://pets/cat.jpg", "{}"u8.ToArray(), isLabeled: false, hasErrors: false));
        writer.Complete();

        var labels = _catalog.Entries.EntriesWithLabels(id, transaction).ToDictionary(e => e.Id, e => e.Labels);
        Assert.That(labels.Keys, Is.EqualTo(new[] { cat, dog }));
        Assert.That(labels[cat], Is.EqualTo(new[] { "cat" }));
        Assert.That(labels[dog], Is.EqualTo(new[] { "dog" }));
    }

    [Test]
    public void ABulkImportTransaction_WritesEntriesAndLabels_OrNothing()
    {
        Assert.That(_catalog.Datasets.TryInsert(null, _project.Id, "TRAIN", "arn:dataset/train", 2, out var id), Is.True);
        foreach (var commit in new[] { false, true })
        {
            using var transaction = _catalog.BeginTransaction(bulkWrites: true);
            using (var writer = _catalog.Entries.OpenWriter(transaction, id, mayReplace: true))
            {
                var entry = writer.WriteEntry("s3://pets/cat.jpg", """{"source-ref":"s3://pets/cat.jpg"}"""u8.ToArray(), isLabeled: true, hasErrors: false);
                writer.WriteLabel(entry, "cat", onBoundingBox: false);
                writer.Complete();
            }

            Assert.That(_catalog.Datasets.CountEntries(transaction, id), Is.EqualTo(1));
            if (commit)
            {
                transaction.Commit();
            }
            else
            {
                transaction.Rollback();
                Assert.That(_catalog.Datasets.Counts(id), Is.EqualTo(new DatasetCounts(0, 0, 0, 0)), "rolled back: nothing kept");
            }
        }

        Assert.That(_catalog.Datasets.Counts(id), Is.EqualTo(new DatasetCounts(1, 1, 0, 1)));
    }

    [Test]
    public void ATransactionOfAnotherProvider_IsRefused()
    {
        using var foreign = new ForeignTransaction();
        Assert.Throws<ArgumentException>(() => _catalog.Datasets.FindByArn("arn:dataset/train", foreign));
    }

    private sealed class ForeignTransaction : ICatalogTransaction
    {
        public void Commit()
        {
        }

        public void Rollback()
        {
        }

        public void Dispose()
        {
        }
    }
}
