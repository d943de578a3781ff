using Microsoft.Data.Sqlite;
using Rekognition.Core.Catalog;
using Rekognition.Core.Catalog.Sqlite;

namespace Rekognition.Core.Tests.Catalog;

/// <summary>Schema 5: entry revisions (the stale-save check) and the declared label set an editor changes.</summary>
public class EntryRevisionCatalogTests
{
    private DirectoryInfo _temp = null!;
    private ICatalog _catalog = null!;
    private long _datasetId;

    [SetUp]
    public void SetUp()
    {
        _temp = Directory.CreateTempSubdirectory("rk-catalog-");
        _catalog = new SqliteCatalog(_temp.FullName);
        Assert.That(_catalog.Projects.TryInsert("pets", "arn:project/pets", 1, "CREATED", "CUSTOM_LABELS", null), Is.True);
        var project = _catalog.Projects.FindByArn("arn:project/pets")!;
        Assert.That(_catalog.Datasets.TryInsert(null, project.Id, "TRAIN", "arn:dataset/train", 2, out _datasetId), Is.True);
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        _temp.Delete(recursive: true);
    }

    [Test]
    public void AnEntryStartsAtRevisionOne_AndEachReplacementAddsOne()
    {
        Write("s3://b/a.png", "cat");
        Assert.That(_catalog.Entries.EntryRevisions(_datasetId, ["s3://b/a.png", "s3://b/missing.png"]), Is.EqualTo(new Dictionary<string, long> { ["s3://b/a.png"] = 1 }));
        Write("s3://b/a.png", "dog");
        Write("s3://b/a.png", "dog");
        Assert.That(_catalog.Entries.EntryRevisions(_datasetId, ["s3://b/a.png"])["s3://b/a.png"], Is.EqualTo(3));
    }

    [Test]
    public void ADeclaredLabel_IsListed_AndRemovedOnlyWhenNoEntryUsesIt()
    {
        Write("s3://b/a.png", "cat");
        using (var transaction = _catalog.BeginTransaction())
        {
            _catalog.Entries.DeclareLabel(transaction, _datasetId, "bird");
            Assert.That(_catalog.Entries.RemoveUnusedLabel(transaction, _datasetId, "cat"), Is.False, "cat is used by an entry");
            transaction.Commit();
        }

        Assert.That(_catalog.Entries.ListLabels(_datasetId, null, 10).Select(l => l.Label), Is.EqualTo(new[] { "bird", "cat" }));
        using (var transaction = _catalog.BeginTransaction())
        {
            Assert.That(_catalog.Entries.RemoveUnusedLabel(transaction, _datasetId, "bird"), Is.True);
            transaction.Commit();
        }

        Assert.That(_catalog.Entries.ListLabels(_datasetId, null, 10).Select(l => l.Label), Is.EqualTo(new[] { "cat" }));
    }

    private void Write(string sourceRef, string label)
    {
        using var transaction = _catalog.BeginTransaction();
        using (var writer = _catalog.Entries.OpenWriter(transaction, _datasetId, mayReplace: true))
        {
            var id = writer.WriteEntry(sourceRef, System.Text.Encoding.UTF8.GetBytes($$"""{"source-ref":"{{sourceRef}}","l":0}"""), isLabeled: true, hasErrors: false);
            writer.WriteLabel(id, label, onBoundingBox: false);
            writer.Complete();
        }

        transaction.Commit();
    }
}
