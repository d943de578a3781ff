using System.Security.Cryptography;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Tests.Storage;

public class LocalFileCacheTests
{
    private string _temp = null!;
    private Dictionary<string, byte[]> _objects = null!;
    private Dictionary<string, int> _fetches = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = Directory.CreateTempSubdirectory("rk-cache-").FullName;
        _objects = new(StringComparer.Ordinal);
        _fetches = new(StringComparer.Ordinal);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    [Test]
    public async Task CallersAtOnce_FetchOnce_AndAllGetTheWholeFile()
    {
        _objects["models/a/model.onnx"] = RandomNumberGenerator.GetBytes(1 << 20);
        var cache = new LocalFileCache(Path.Combine(_temp, "cache"));
        using var gate = new SemaphoreSlim(0);

        var callers = Enumerable.Range(0, 6).Select(_ => Task.Run(() => cache.GetAsync("models/a/model.onnx", async ct =>
        {
            await gate.WaitAsync(ct); // the first fetch is still running while the others ask
            return Open("models/a/model.onnx");
        }))).ToArray();
        await Task.Delay(100);
        gate.Release(6);
        var paths = await Task.WhenAll(callers);

        Assert.That(_fetches["models/a/model.onnx"], Is.EqualTo(1), "one fetch for callers at once");
        Assert.That(paths.Distinct().Count(), Is.EqualTo(1));
        Assert.That(await File.ReadAllBytesAsync(paths[0]!), Is.EqualTo(_objects["models/a/model.onnx"]));
    }

    [Test]
    public async Task BeyondTheLimit_TheLeastRecentlyUsedCopyGoes()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            _objects[$"models/{name}"] = RandomNumberGenerator.GetBytes(400);
        }

        var cache = new LocalFileCache(Path.Combine(_temp, "cache"), maxBytes: 1000);
        var a = await Get(cache, "models/a");
        var b = await Get(cache, "models/b");
        await Get(cache, "models/a"); // a used after b: b is the least recently used
        var c = await Get(cache, "models/c");

        Assert.That(File.Exists(a), Is.True);
        Assert.That(File.Exists(b), Is.False, "the least recently used copy is removed");
        Assert.That(await File.ReadAllBytesAsync(c!), Is.EqualTo(_objects["models/c"]));
        Assert.That(cache.Bytes, Is.EqualTo(800));
        Assert.That(await File.ReadAllBytesAsync((await Get(cache, "models/b"))!), Is.EqualTo(_objects["models/b"]), "fetched again when asked again");
        Assert.That(_fetches["models/b"], Is.EqualTo(2));
    }

    [Test]
    public async Task AHeldCopy_IsNeverRemoved_EvenBeyondTheLimit()
    {
        _objects["models/held"] = RandomNumberGenerator.GetBytes(600);
        _objects["models/other"] = RandomNumberGenerator.GetBytes(600);
        var cache = new LocalFileCache(Path.Combine(_temp, "cache"), maxBytes: 1000);

        using (var held = await cache.AcquireAsync("models/held", _ => Task.FromResult<Stream?>(Open("models/held"))))
        {
            var other = await Get(cache, "models/other");
            Assert.That(File.Exists(held!.Path), Is.True, "in use: kept");
            Assert.That(await File.ReadAllBytesAsync(held.Path), Is.EqualTo(_objects["models/held"]));
            Assert.That(File.Exists(other), Is.False, "the copy nobody holds made way");
        }

        await Get(cache, "models/other");
        Assert.That(cache.Bytes, Is.EqualTo(600), "let go: the held copy can go now");
    }

    [Test]
    public async Task CopiesLeftByAnEarlierProcess_CountAgainstTheLimit()
    {
        _objects["models/a"] = RandomNumberGenerator.GetBytes(700);
        _objects["models/b"] = RandomNumberGenerator.GetBytes(700);
        var first = new LocalFileCache(Path.Combine(_temp, "cache"), maxBytes: 1000);
        var a = await Get(first, "models/a");

        var second = new LocalFileCache(Path.Combine(_temp, "cache"), maxBytes: 1000);
        await Get(second, "models/b");

        Assert.That(File.Exists(a), Is.False);
        Assert.That(second.Bytes, Is.EqualTo(700));
    }

    [Test]
    public async Task AMissingObject_IsNull_AndBadKeysAreRefused()
    {
        var cache = new LocalFileCache(Path.Combine(_temp, "cache"));
        Assert.That(await Get(cache, "models/none"), Is.Null);
        Assert.ThrowsAsync<ArgumentException>(() => Get(cache, "../escape"));
    }

    private Task<string?> Get(LocalFileCache cache, string key) => cache.GetAsync(key, _ => Task.FromResult<Stream?>(Open(key)));

    private MemoryStream? Open(string key)
    {
        lock (_fetches)
        {
            _fetches[key] = _fetches.GetValueOrDefault(key) + 1;
        }

        return _objects.TryGetValue(key, out var bytes) ? new MemoryStream(bytes) : null;
    }
}
