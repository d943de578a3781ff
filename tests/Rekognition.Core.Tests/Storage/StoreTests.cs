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
}
