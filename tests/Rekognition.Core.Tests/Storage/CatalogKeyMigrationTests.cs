using Rekognition.Core.Catalog;
using Rekognition.Core.Catalog.Sqlite;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Storage;

/// <summary>Catalogs before schema 3 kept absolute package paths; now they keep object keys, and old rows still read.</summary>
public class CatalogKeyMigrationTests
{
    private static async Task<(TestStore Store, string Version)> ImportedAsync()
    {
        var store = new TestStore(new FakeModelRuntime());
        var project = await store.CreateProjectAsync("digits");
        var model = ModelPackages.WriteMnist(Path.Combine(store.Root, "package"));
        var version = (await store.Models.ImportProjectVersionAsync(new ImportProjectVersionRequest { ProjectArn = project, VersionName = "v1", ModelPath = model })).ProjectVersionArn!;
        return (store, version);
    }

    [Test]
    public async Task TheCatalog_KeepsAKey_NotAPath()
    {
        var (store, version) = await ImportedAsync();
        await using var _ = store;
        var key = store.ArtifactKey(version);
        Assert.That(Path.IsPathRooted(key), Is.False);
        Assert.That(key, Does.StartWith("models/").And.Not.Contain(store.Options.StoreRoot));
    }

    [Test]
    public async Task ASchema2Row_WithAnAbsolutePath_IsMigratedToItsKey_AndStillServes()
    {
        var (store, version) = await ImportedAsync();
        await using var _ = store;
        var key = store.ArtifactKey(version);
        await store.Client.DisposeAsync();
        store.SetStoredArtifact(version, Path.Combine([store.Options.StoreRoot, .. key.Split('/')]), schemaVersion: 2);

        await store.ReopenAsync();

        Assert.That(store.StoredArtifact(version), Is.EqualTo(key), "the migration rewrote the path as its key");
        var exported = await store.Models.ExportProjectVersionAsync(new ExportProjectVersionRequest { ProjectVersionArn = version, DestinationDirectory = Path.Combine(store.Root, "out") });
        Assert.That(File.Exists(exported.ModelPath), Is.True, "the old row's package is found");
    }

    [Test]
    public async Task ARowStillHoldingAPath_IsReadAsItsKey()
    {
        // An older process on the same catalog wrote a path after the migration ran: it is read as a key.
        var (store, version) = await ImportedAsync();
        await using var _ = store;
        var key = store.ArtifactKey(version);
        store.SetStoredArtifact(version, Path.Combine([store.Options.StoreRoot, .. key.Split('/')]) + Path.DirectorySeparatorChar, schemaVersion: 3);

        var versions = new SqliteCatalog(store.Options.StoreRoot).Versions;
        Assert.That(versions.FindByArn(version)!.ArtifactKey, Is.EqualTo(key));
        Assert.DoesNotThrowAsync(() => store.Models.ExportProjectVersionAsync(new ExportProjectVersionRequest { ProjectVersionArn = version, DestinationDirectory = Path.Combine(store.Root, "out") }));
    }

    [TestCase("/old/place/store/models/4/9-1700000000000", "models/4/9-1700000000000")]
    [TestCase("/old/place/store/models/4/import-17-0123456789abcdef0123456789abcdef/", "models/4/import-17-0123456789abcdef0123456789abcdef")]
    [TestCase("models/4/9-1", "models/4/9-1")]
    [TestCase("/somewhere/else/package", "/somewhere/else/package")]
    public void APathOfAMovedStore_NamesItsKeyByItsTail(string stored, string expected)
    {
        Assert.That(ArtifactKeys.FromStored(stored, "/new/place/store"), Is.EqualTo(expected));
    }

    [Test]
    public void APathBeneathTheRoot_BecomesItsRelativeKey()
    {
        var root = Path.Combine(Path.GetTempPath(), "rk-keys", "store");
        Assert.That(ArtifactKeys.FromStored(Path.Combine(root, "models", "1", "2-3"), root), Is.EqualTo("models/1/2-3"));
        Assert.That(ArtifactKeys.FromStored(null, root), Is.Null);
    }
}
