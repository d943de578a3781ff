using System.Text;
using Rekognition.Core.Storage;
using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Core.Tests.Storage;

public class LocalFolderObjectStoreTests
{
    private string _temp = null!;
    private string _root = null!;
    private string _outside = null!;
    private LocalFolderObjectStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = Path.Combine(Path.GetTempPath(), "rk-objects", Guid.NewGuid().ToString("N"));
        _root = Path.Combine(_temp, "store");
        _outside = Path.Combine(_temp, "outside");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "model.onnx"), "SECRET");
        _store = new LocalFolderObjectStore(_root);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    [Test]
    public async Task PutReadListDelete_ByKey()
    {
        await _store.PutAsync("models/1/2-3/model.json", new MemoryStream("{}"u8.ToArray()));
        await _store.PutAsync("models/1/2-3/model.onnx", new MemoryStream("onnx"u8.ToArray()));
        await _store.PutAsync("models/1/4-5/model.json", new MemoryStream("[]"u8.ToArray()));
        File.WriteAllText(Path.Combine(_root, "models", "1", "2-3", AtomicFile.TemporaryName("model.onnx")), "left by a crash");

        Assert.That(await _store.ExistsAsync("models/1/2-3/model.json"), Is.True);
        Assert.That(await _store.ExistsAsync("models/1/2-3/missing.json"), Is.False);
        await using (var read = await _store.OpenReadAsync("models/1/2-3/model.onnx"))
        {
            Assert.That(new StreamReader(read!).ReadToEnd(), Is.EqualTo("onnx"));
        }

        Assert.That(await _store.OpenReadAsync("models/9/model.onnx"), Is.Null);
        var local = await _store.GetLocalFileAsync("models/1/2-3/model.onnx");
        Assert.That(local, Is.EqualTo(Path.Combine(_root, "models", "1", "2-3", "model.onnx")), "for the local folder the file itself");

        var listed = new List<string>();
        await foreach (var key in _store.ListAsync("models/1/2-3"))
        {
            listed.Add(key);
        }

        Assert.That(listed.Order(), Is.EqualTo(new[] { "models/1/2-3/model.json", "models/1/2-3/model.onnx" }));

        await _store.DeletePrefixAsync("models/1/2-3");
        Assert.That(await _store.ExistsAsync("models/1/2-3/model.onnx"), Is.False);
        Assert.That(await _store.ExistsAsync("models/1/4-5/model.json"), Is.True, "only the prefix goes");
        Assert.DoesNotThrowAsync(() => _store.DeletePrefixAsync("models/1/2-3"), "deleting what is gone is no error");
    }

    [TestCase("../outside/model.onnx")]
    [TestCase("models/../../outside/model.onnx")]
    [TestCase("models/./x")]
    [TestCase("/etc/passwd")]
    [TestCase("models\\1")]
    [TestCase("")]
    public void KeysThatAreNotKeys_AreRefused(string key)
    {
        Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync(key, new MemoryStream([1])));
        Assert.ThrowsAsync<ArgumentException>(() => _store.OpenReadAsync(key));
        Assert.ThrowsAsync<ArgumentException>(() => _store.GetLocalFileAsync(key));
        Assert.ThrowsAsync<ArgumentException>(() => _store.DeletePrefixAsync(key));
        Assert.That(File.ReadAllText(Path.Combine(_outside, "model.onnx")), Is.EqualTo("SECRET"));
    }

    [Test]
    public async Task ALinkOutOfTheRoot_IsNeitherReadNorWrittenNorDeletedThrough()
    {
        Directory.CreateDirectory(Path.Combine(_root, "models", "1"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "models", "1", "2-3"), _outside);

        Assert.That(await _store.OpenReadAsync("models/1/2-3/model.onnx"), Is.Null, "read through a link out");
        Assert.That(await _store.GetLocalFileAsync("models/1/2-3/model.onnx"), Is.Null, "no local path through a link out");
        Assert.That(await _store.ExistsAsync("models/1/2-3/model.onnx"), Is.False);
        Assert.ThrowsAsync<PathEscapeException>(() => _store.PutAsync("models/1/2-3/model.onnx", new MemoryStream("EVIL"u8.ToArray())));

        await _store.DeletePrefixAsync("models/1/2-3");
        Assert.That(File.ReadAllText(Path.Combine(_outside, "model.onnx")), Is.EqualTo("SECRET"), "the link goes, not what it points at");
    }

    [Test]
    public async Task AFileLinkedOut_IsNotAnObject()
    {
        Directory.CreateDirectory(Path.Combine(_root, "models", "1", "2-3"));
        File.CreateSymbolicLink(Path.Combine(_root, "models", "1", "2-3", "model.onnx"), Path.Combine(_outside, "model.onnx"));

        Assert.That(await _store.GetLocalFileAsync("models/1/2-3/model.onnx"), Is.Null);
        var listed = new List<string>();
        await foreach (var key in _store.ListAsync("models/1/2-3"))
        {
            listed.Add(key);
        }

        Assert.That(listed, Is.Empty, "a link is not listed (nor copied with the package)");
        await _store.PutAsync("models/1/2-3/model.onnx", new MemoryStream(Encoding.UTF8.GetBytes("mine")));
        Assert.That(File.ReadAllText(Path.Combine(_outside, "model.onnx")), Is.EqualTo("SECRET"), "a put replaces the link, never writes through it");
    }
}
