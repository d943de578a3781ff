using System.Security.Cryptography;
using Rekognition.Core.Storage;
using Rekognition.S3.Objects;
using Rekognition.S3.Tests.TestSupport;

namespace Rekognition.S3.Tests.Objects;

/// <summary>Which provider a contract fixture runs on.</summary>
public enum ObjectStoreKind
{
    LocalFolder,
    S3,
}

/// <summary>
/// What every <see cref="IObjectStore"/> provider guarantees (see its remarks), checked on the local folder and on S3
/// alike. Every write is read back and compared byte for byte: an upload that "succeeds" with corrupt bytes fails here.
/// </summary>
[TestFixture(ObjectStoreKind.LocalFolder)]
[TestFixture(ObjectStoreKind.S3)]
public class ObjectStoreContractTests(ObjectStoreKind kind)
{
    private string _temp = null!;
    private IObjectStore _store = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temp = Directory.CreateTempSubdirectory("rk-s3-contract-").FullName;
        _store = await CreateAsync(kind, _temp);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    /// <summary>A fresh, empty store of <paramref name="kind"/> (an S3 bucket of its own), its local files beneath <paramref name="temp"/>.</summary>
    public static async Task<IObjectStore> CreateAsync(ObjectStoreKind kind, string temp, long cacheBytes = 1L << 30) => kind switch
    {
        ObjectStoreKind.LocalFolder => new LocalFolderObjectStore(Path.Combine(temp, "store")),
        _ => new S3ObjectStore(
            S3TestServer.Client(), await S3TestServer.CreateBucketAsync("contract"), "stores/a", chunkEncoding: false,
            new LocalFileCache(Path.Combine(temp, "cache"), cacheBytes), S3TestServer.Url),
    };

    [Test]
    public async Task APut_ReadsBackByteForByte_AndIsListedAndDeleted()
    {
        // 3,000,000 random bytes: the size at which s3rver kept aws-chunked signatures inside the object.
        var big = RandomNumberGenerator.GetBytes(3_000_000);
        var small = "{\"a\":1}"u8.ToArray();
        await _store.PutAsync("models/1/2-3/model.onnx", new MemoryStream(big));
        await _store.PutAsync("models/1/2-3/model.json", new MemoryStream(small));
        await _store.PutAsync("models/1/4-5/model.json", new MemoryStream(small));

        Assert.That(await ReadAsync("models/1/2-3/model.onnx"), Is.EqualTo(big));
        Assert.That(await ReadAsync("models/1/2-3/model.json"), Is.EqualTo(small));
        Assert.That(await _store.ExistsAsync("models/1/2-3/model.onnx"), Is.True);
        Assert.That(await _store.ExistsAsync("models/1/2-3/missing.json"), Is.False);
        Assert.That(await _store.OpenReadAsync("models/9/model.onnx"), Is.Null, "a missing object is null, not an error");
        Assert.That(await ListAsync("models/1/2-3"), Is.EqualTo(new[] { "models/1/2-3/model.json", "models/1/2-3/model.onnx" }));
        Assert.That(await ListAsync("models/1"), Has.Count.EqualTo(3));
        Assert.That(await ListAsync("models/1/2"), Is.Empty, "a prefix is a folder: models/1/2 is not models/1/2-3");

        await _store.DeletePrefixAsync("models/1/2-3");
        Assert.That(await _store.ExistsAsync("models/1/2-3/model.onnx"), Is.False);
        Assert.That(await ReadAsync("models/1/4-5/model.json"), Is.EqualTo(small), "only the prefix goes");
        Assert.DoesNotThrowAsync(() => _store.DeletePrefixAsync("models/1/2-3"), "deleting what is gone is no error");
    }

    [Test]
    public async Task APutAgain_ReplacesTheWholeObject()
    {
        var first = RandomNumberGenerator.GetBytes(100_000);
        var second = RandomNumberGenerator.GetBytes(70_000);
        await _store.PutAsync("training/1/2-3/output/summary.json", new MemoryStream(first));
        await _store.PutAsync("training/1/2-3/output/summary.json", new MemoryStream(second));

        Assert.That(await ReadAsync("training/1/2-3/output/summary.json"), Is.EqualTo(second));
    }

    [Test]
    public async Task AWriterThatFails_LeavesTheOldObject_AndCreatesNothingNew()
    {
        var old = RandomNumberGenerator.GetBytes(10_000);
        await _store.PutAsync("models/1/2-3/model.onnx", new MemoryStream(old));

        async Task Failing(Stream stream)
        {
            await stream.WriteAsync(RandomNumberGenerator.GetBytes(50_000));
            throw new IOException("the disk filled up");
        }

        Assert.ThrowsAsync<IOException>(() => _store.PutAsync("models/1/2-3/model.onnx", Failing));
        Assert.ThrowsAsync<IOException>(() => _store.PutAsync("models/1/2-3/other.onnx", Failing));

        Assert.That(await ReadAsync("models/1/2-3/model.onnx"), Is.EqualTo(old));
        Assert.That(await _store.ExistsAsync("models/1/2-3/other.onnx"), Is.False);
        Assert.That(await ListAsync("models/1/2-3"), Is.EqualTo(new[] { "models/1/2-3/model.onnx" }), "no half-written object is listed");
    }

    [Test]
    public async Task PutIfAbsent_CreatesOnce_AndKeepsTheFirstBytes()
    {
        var first = RandomNumberGenerator.GetBytes(32);
        Assert.That(await _store.PutIfAbsentAsync("pagination.key", s => s.WriteAsync(first).AsTask(), ownerOnly: true), Is.True);
        Assert.That(await _store.PutIfAbsentAsync("pagination.key", s => s.WriteAsync(RandomNumberGenerator.GetBytes(32)).AsTask(), ownerOnly: true), Is.False);

        Assert.That(await ReadAsync("pagination.key"), Is.EqualTo(first));
    }

    [Test]
    public async Task PutIfAbsent_ManyWritersAtOnce_ExactlyOneWins_AndItsBytesAreTheObject()
    {
        var candidates = Enumerable.Range(0, 8).Select(_ => RandomNumberGenerator.GetBytes(20_000)).ToArray();
        using var start = new ManualResetEventSlim();
        var writers = candidates.Select(bytes => Task.Run(async () =>
        {
            start.Wait();
            return await _store.PutIfAbsentAsync("jobs/lease", s => s.WriteAsync(bytes).AsTask());
        })).ToArray();
        start.Set();
        var won = await Task.WhenAll(writers);

        Assert.That(won.Count(w => w), Is.EqualTo(1), "exactly one creator");
        Assert.That(await ReadAsync("jobs/lease"), Is.EqualTo(candidates[Array.IndexOf(won, true)]), "the winner's bytes, whole");
    }

    [Test]
    public async Task GetLocalFile_HoldsTheObjectsBytes_AndFollowsItsWrites()
    {
        var first = RandomNumberGenerator.GetBytes(1 << 20);
        await _store.PutAsync("models/1/2-3/model.onnx", new MemoryStream(first));

        var file = await _store.GetLocalFileAsync("models/1/2-3/model.onnx");
        Assert.That(await File.ReadAllBytesAsync(file!), Is.EqualTo(first));

        var second = RandomNumberGenerator.GetBytes(1 << 19);
        await _store.PutAsync("models/1/2-3/model.onnx", new MemoryStream(second));
        var again = await _store.GetLocalFileAsync("models/1/2-3/model.onnx");
        Assert.That(await File.ReadAllBytesAsync(again!), Is.EqualTo(second), "written again: the local file is the new object");
        Assert.That(await _store.GetLocalFileAsync("models/1/2-3/missing.onnx"), Is.Null);
    }

    [TestCase("")]
    [TestCase("../outside")]
    [TestCase("models/./x")]
    [TestCase("models//x")]
    [TestCase("models\\x")]
    [TestCase("/absolute")]
    public void KeysThatAreNotRelativePaths_AreRefused(string key)
    {
        Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync(key, new MemoryStream([1])));
        Assert.ThrowsAsync<ArgumentException>(() => _store.OpenReadAsync(key));
        Assert.ThrowsAsync<ArgumentException>(() => _store.GetLocalFileAsync(key));
    }

    private async Task<byte[]> ReadAsync(string key)
    {
        await using var stream = await _store.OpenReadAsync(key) ?? throw new AssertionException($"{key} is not in the store.");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<List<string>> ListAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in _store.ListAsync(prefix))
        {
            keys.Add(key);
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}
