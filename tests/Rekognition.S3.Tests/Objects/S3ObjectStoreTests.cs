using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Rekognition.Core.Storage;
using Rekognition.S3.Objects;
using Rekognition.S3.Tests.TestSupport;

namespace Rekognition.S3.Tests.Objects;

/// <summary>What is particular to the S3 object store: where its objects land, and what it learns of the server.</summary>
public class S3ObjectStoreTests
{
    private string _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("rk-s3-store-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    [Test]
    public async Task Objects_LandBeneathThePrefix_AndStoresWithOtherPrefixesDoNotSeeThem()
    {
        var bucket = await S3TestServer.CreateBucketAsync("prefixes");
        var a = Store(bucket, "team/a");
        var b = Store(bucket, "/team/b/");
        var bytes = RandomNumberGenerator.GetBytes(5000);
        await a.PutAsync("models/1/2-3/model.json", new MemoryStream(bytes));

        Assert.That(await S3TestServer.KeysAsync(bucket, "team/"), Is.EqualTo(new[] { "team/a/models/1/2-3/model.json" }));
        Assert.That(await S3TestServer.GetAsync(bucket, "team/a/models/1/2-3/model.json"), Is.EqualTo(bytes));
        Assert.That(await b.ExistsAsync("models/1/2-3/model.json"), Is.False);
        await b.DeletePrefixAsync("models");
        Assert.That(await a.ExistsAsync("models/1/2-3/model.json"), Is.True, "deleting beneath b's prefix leaves a's objects");
    }

    [Test]
    public async Task TheConditionalWriteProbe_AgreesWithWhatTheServerDoes()
    {
        var bucket = await S3TestServer.CreateBucketAsync("conditional");
        using var client = S3TestServer.Client();
        var put = new PutObjectRequest { BucketName = bucket, Key = "twice", ContentBody = "1", IfNoneMatch = "*", UseChunkEncoding = false };
        await client.PutObjectAsync(put);
        bool honoured;
        try
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "twice", ContentBody = "2", IfNoneMatch = "*", UseChunkEncoding = false });
            honoured = false;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.PreconditionFailed)
        {
            honoured = true;
        }

        var store = Store(bucket, "p");
        Assert.That(await store.ConditionalWritesAsync(), Is.EqualTo(honoured));
        Assert.That(await S3TestServer.KeysAsync(bucket, "p/"), Is.Empty, "the probe leaves nothing behind");
        TestContext.Out.WriteLine($"If-None-Match: * on PUT honoured by the server: {honoured}");
    }

    [Test]
    public async Task TwoHostsCreatingOneKey_TheFirstBytesStayOnceCreated()
    {
        // Two stores over one bucket stand for two hosts; one after the other, the second never replaces the first.
        var bucket = await S3TestServer.CreateBucketAsync("hosts");
        var first = RandomNumberGenerator.GetBytes(32);
        Assert.That(await Store(bucket, "p").PutIfAbsentAsync("pagination.key", s => s.WriteAsync(first).AsTask()), Is.True);
        Assert.That(await Store(bucket, "p").PutIfAbsentAsync("pagination.key", s => s.WriteAsync(RandomNumberGenerator.GetBytes(32)).AsTask()), Is.False);
        Assert.That(await S3TestServer.GetAsync(bucket, "p/pagination.key"), Is.EqualTo(first));
    }

    [Test]
    public async Task LocalFiles_AreCopiesInTheCache_FetchedAgainOnlyAfterAWrite()
    {
        var bucket = await S3TestServer.CreateBucketAsync("local");
        var cache = new LocalFileCache(Path.Combine(_temp, "cache"));
        var store = new S3ObjectStore(S3TestServer.Client(), bucket, null, chunkEncoding: false, cache, S3TestServer.Url);
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        await store.PutAsync("models/1/2-3/model.onnx", new MemoryStream(bytes));

        var file = await store.GetLocalFileAsync("models/1/2-3/model.onnx");
        Assert.That(file, Does.StartWith(Path.Combine(_temp, "cache") + Path.DirectorySeparatorChar));
        Assert.That(await File.ReadAllBytesAsync(file!), Is.EqualTo(bytes));
        Assert.That(cache.Bytes, Is.EqualTo(bytes.Length));

        // Changed behind the store's back (no write through it): the cached copy is what is served.
        await S3TestServer.PutAsync(bucket, "models/1/2-3/model.onnx", [1, 2, 3]);
        Assert.That(await File.ReadAllBytesAsync((await store.GetLocalFileAsync("models/1/2-3/model.onnx"))!), Is.EqualTo(bytes));
    }

    private S3ObjectStore Store(string bucket, string prefix) =>
        new(S3TestServer.Client(), bucket, prefix, chunkEncoding: false, new LocalFileCache(Path.Combine(_temp, "cache-" + Guid.NewGuid().ToString("N"))), S3TestServer.Url);
}
