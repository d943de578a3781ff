using System.Collections.Concurrent;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Storage;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Storage;

public class StoreTests
{
    private DirectoryInfo _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("rk-store-");

    [TearDown]
    public void TearDown() => _temp.Delete(recursive: true);

    private ModelPackage Source() => ModelPackage.Load(Path.GetDirectoryName(ModelPackages.WriteMnist(Path.Combine(_temp.FullName, "source")))!);

    [Test]
    public async Task APackage_IsStoredUnderItsKey_AndLoadedFromThere()
    {
        var store = new Store(Path.Combine(_temp.FullName, "store"));
        var key = StoreLayout.ModelPackage(1, 2, 3);

        var stored = await store.PutModelPackageAsync(key, Source());

        Assert.That(stored.ModelPath, Is.EqualTo(Path.Combine(store.Root, "models", "1", "2-3", ModelPackage.ModelFileName)));
        var loaded = await store.LoadModelPackageAsync(key);
        Assert.That(loaded.Metadata.Labels, Is.EqualTo(Source().Metadata.Labels));
        Assert.That(new FileInfo(loaded.ModelPath).Length, Is.EqualTo(new FileInfo(Source().ModelPath).Length));
    }

    [Test]
    public void AMissingPackage_IsAnInvalidParameter_NamingTheFile_NotTheMachinePath()
    {
        var store = new Store(Path.Combine(_temp.FullName, "store"));
        var thrown = Assert.ThrowsAsync<InvalidParameterException>(() => store.LoadModelPackageAsync(StoreLayout.ModelPackage(1, 2, 3)));
        Assert.That(thrown!.Message, Does.Contain(ModelPackage.ModelFileName).And.Not.Contain(_temp.FullName));
    }

    [Test]
    public async Task InvalidMetadata_IsRefused_AndTheStoredMetadataStays()
    {
        var store = new Store(Path.Combine(_temp.FullName, "store"));
        var key = StoreLayout.ModelPackage(1, 2, 3);
        var stored = await store.PutModelPackageAsync(key, Source());
        var metadata = stored.Metadata;
        metadata.Labels.Clear();

        Assert.ThrowsAsync<InvalidParameterException>(() => store.UpdateModelMetadataAsync(key, metadata));

        Assert.That((await store.LoadModelPackageAsync(key)).Metadata.Labels, Has.Count.EqualTo(10));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(stored.ModelPath)!).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { ModelPackage.MetadataFileName, ModelPackage.ModelFileName }), "no temporary file is left");
    }

    [Test]
    public async Task APrefix_IsCopiedFromAnotherStore_WithEverythingBesideThePackage()
    {
        var source = new Store(Path.Combine(_temp.FullName, "account-a"));
        var target = new Store(Path.Combine(_temp.FullName, "account-b"));
        var from = StoreLayout.ModelPackage(1, 2, 3);
        await source.PutModelPackageAsync(from, Source());
        await source.Objects.PutAsync(StoreLayout.EvaluationReport(from), new MemoryStream("<html>report</html>"u8.ToArray()));

        var to = StoreLayout.ModelPackage(7, 8, 9);
        await target.CopyPrefixAsync(source.Objects, from, to);

        Assert.That((await target.LoadModelPackageAsync(to)).Metadata.Labels, Has.Count.EqualTo(10));
        await using var report = await target.Objects.OpenReadAsync(StoreLayout.EvaluationReport(to));
        Assert.That(new StreamReader(report!).ReadToEnd(), Is.EqualTo("<html>report</html>"));
    }

    // A Store over an object store that is not a local folder (S3 next): what must be a file (the ONNX model, its
    // metadata) is read through the local cache once, then served from there, and fetched again after the store writes it.
    private (RemoteObjectStore Remote, Store Store) RemoteStore()
    {
        var remote = new RemoteObjectStore(Path.Combine(_temp.FullName, "remote"));
        var root = Path.Combine(_temp.FullName, "store");
        return (remote, new Store(root, remote, new Rekognition.Core.Catalog.Sqlite.SqliteCatalog(root)));
    }

    [Test]
    public async Task APackage_IsFetchedOnce_IntoTheCache_NotReadInPlace()
    {
        var (remote, store) = RemoteStore();
        var key = StoreLayout.ModelPackage(1, 2, 3);

        var stored = await store.PutModelPackageAsync(key, Source());
        await store.LoadModelPackageAsync(key);
        var again = await store.LoadModelPackageAsync(key);

        Assert.That(again.ModelPath, Does.StartWith(Path.Combine(store.Root, StoreLayout.LocalCachePrefix) + Path.DirectorySeparatorChar));
        Assert.That(again.ModelPath, Is.EqualTo(stored.ModelPath));
        Assert.That(await File.ReadAllBytesAsync(again.ModelPath), Is.EqualTo(await File.ReadAllBytesAsync(Source().ModelPath)));
        Assert.That(remote.Reads(StoreLayout.ModelFile(key)), Is.EqualTo(1), "the model is fetched once, then read from the cache");
        Assert.That(remote.Reads(StoreLayout.ModelMetadata(key)), Is.EqualTo(1));
    }

    [Test]
    public async Task MetadataWrittenAgain_IsFetchedAgain()
    {
        var (remote, store) = RemoteStore();
        var key = StoreLayout.ModelPackage(1, 2, 3);
        var stored = await store.PutModelPackageAsync(key, Source());

        var metadata = stored.Metadata;
        metadata.Evaluation["F1Score"] = "0.25";
        await store.UpdateModelMetadataAsync(key, metadata);

        Assert.That((await store.LoadModelPackageAsync(key)).Metadata.Evaluation["F1Score"], Is.EqualTo("0.25"));
        Assert.That(remote.Reads(StoreLayout.ModelMetadata(key)), Is.EqualTo(2));
        Assert.That(remote.Reads(StoreLayout.ModelFile(key)), Is.EqualTo(1), "the unchanged model stays cached");
    }

    [Test]
    public async Task ReadersAtOnce_AllGetTheWholeFile_AndAMissingObjectIsNull()
    {
        var (remote, store) = RemoteStore();
        var bytes = Enumerable.Range(0, 1 << 20).Select(i => (byte)(i * 31)).ToArray();
        await remote.PutAsync("training/1/2-3/output/evaluation_summary.json", new MemoryStream(bytes));

        var paths = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => store.GetLocalFileAsync("training/1/2-3/output/evaluation_summary.json"))));

        Assert.That(paths.Distinct().Count(), Is.EqualTo(1));
        Assert.That(await File.ReadAllBytesAsync(paths[0]!), Is.EqualTo(bytes));
        Assert.That(await store.GetLocalFileAsync("training/1/2-3/output/missing.json"), Is.Null);
    }

    /// <summary>A test-only object store that is not a local folder: objects kept elsewhere, reads counted, no local files.</summary>
    private sealed class RemoteObjectStore(string root) : IObjectStore
    {
        private readonly LocalFolderObjectStore _inner = new(root);
        private readonly ConcurrentDictionary<string, int> _reads = new(StringComparer.Ordinal);

        public int Reads(string key) => _reads.GetValueOrDefault(key);

        public Task PutAsync(string key, Func<Stream, Task> write, CancellationToken cancellationToken = default) => _inner.PutAsync(key, write, cancellationToken);

        public Task<bool> PutIfAbsentAsync(string key, Func<Stream, Task> write, bool ownerOnly = false, CancellationToken cancellationToken = default) =>
            _inner.PutIfAbsentAsync(key, write, ownerOnly, cancellationToken);

        public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
        {
            _reads.AddOrUpdate(key, 1, (_, n) => n + 1);
            return _inner.OpenReadAsync(key, cancellationToken);
        }

        public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => _inner.ExistsAsync(key, cancellationToken);

        public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default) => _inner.ListAsync(prefix, cancellationToken);

        public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) => _inner.DeletePrefixAsync(prefix, cancellationToken);

        public Task<string?> GetLocalFileAsync(string key, CancellationToken cancellationToken = default) =>
            throw new AssertionException("A store that is not a local folder has no local files: the Store must read through its cache.");
    }
}
