using System.Security.Cryptography;
using Rekognition.Core;
using Rekognition.Core.Storage;
using Rekognition.S3.Buckets;
using Rekognition.S3.Tests.TestSupport;

namespace Rekognition.S3.Tests.Buckets;

/// <summary>source-refs on Buckets=S3: the key read is the one the s3:// URI spells, byte for byte.</summary>
public class S3SourceRefTests
{
    private string _bucket = null!;
    private SourceRefResolver _resolver = null!;
    private string _root = null!;

    [SetUp]
    public async Task SetUp()
    {
        _bucket = await S3TestServer.CreateBucketAsync("refs");
        _root = Path.Combine(Path.GetTempPath(), "rk-s3-refs", Guid.NewGuid().ToString("N"));
        _resolver = new SourceRefResolver(
            new RekognitionOptions { StoreRoot = Path.Combine(_root, "store"), BucketsRoot = Path.Combine(_root, "buckets") },
            new S3BucketStore(S3TestServer.Client(), chunkEncoding: false, S3TestServer.Url));
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [TestCase("photos/cat.png/")]
    [TestCase("photos/ a\\b.png")]
    public async Task AKeyThatIsNoTidyPath_ReadsItsOwnObject(string key)
    {
        // Only the oddly spelt key holds the bytes: a resolver that tidied it into a path would find nothing, or another object.
        // (s3rver cannot hold a key with '//' inside: it answers 404 to its PUT; AKeyWithADoubleSlash_IsAskedForAsSpelt covers it.)
        var bytes = RandomNumberGenerator.GetBytes(70_000);
        await S3TestServer.PutAsync(_bucket, key, bytes);
        var sourceRef = $"s3://{_bucket}/{key}";

        var resolved = _resolver.Resolve(sourceRef);
        Assert.That(resolved.IsResolved, Is.True, resolved.Reason);
        var content = SourceContent.Read(_resolver, sourceRef);

        Assert.That(content.Failure, Is.EqualTo(SourceReadFailure.None), content.OpenFailure.ToString());
        Assert.That(content.Bytes, Is.EqualTo(bytes));
        Assert.That(_resolver.CanRead(resolved.LocalPath!), Is.True);
        Assert.That(Directory.Exists(_resolver.BucketsRoot), Is.False, "nothing local was made or read");
    }

    [Test]
    public void AKeyWithADoubleSlash_IsAskedForAsSpelt()
    {
        var asked = new List<string>();
        var resolver = new SourceRefResolver(
            new RekognitionOptions { StoreRoot = Path.Combine(_root, "store"), BucketsRoot = Path.Combine(_root, "buckets") },
            new KeyRecordingBuckets(new S3BucketStore(S3TestServer.Client(), chunkEncoding: false, S3TestServer.Url), asked));

        SourceContent.Read(resolver, $"s3://{_bucket}/photos//cat.png");
        resolver.CanRead(resolver.Resolve($"s3://{_bucket}/a//b//").LocalPath!);

        Assert.That(asked, Is.EqualTo(new[] { $"{_bucket}/photos//cat.png", $"{_bucket}/a//b//" }));
    }

    [Test]
    public async Task NeighboursOfAnOddKey_AreOtherObjects()
    {
        await S3TestServer.PutAsync(_bucket, "photos/cat.png/", [1, 2, 3]);

        Assert.That(SourceContent.Read(_resolver, $"s3://{_bucket}/photos/cat.png").Failure, Is.EqualTo(SourceReadFailure.Unreadable));
        Assert.That(_resolver.CanRead(_resolver.Resolve($"s3://{_bucket}/photos/cat.png").LocalPath!), Is.False);
    }

    [Test]
    public async Task AnObjectOverTheLimit_IsRefusedFromItsSize()
    {
        await S3TestServer.PutAsync(_bucket, "big.bin", new byte[100_001]);

        var content = SourceContent.Read(_resolver, $"s3://{_bucket}/big.bin", maxBytes: 100_000);

        Assert.That(content.Failure, Is.EqualTo(SourceReadFailure.TooLarge));
        Assert.That(content.Length, Is.EqualTo(100_001));
        Assert.That(content.Bytes, Is.Null);
    }

    [Test]
    public async Task ARelativeSourceRef_IsAKeyBesideItsManifest()
    {
        await S3TestServer.PutAsync(_bucket, "sets/a/b.png", [7, 8, 9]);
        var manifest = _resolver.Resolve($"s3://{_bucket}/sets/a/train.manifest").LocalPath!;

        var image = _resolver.Resolve("b.png", SourceRefResolver.FolderOf(manifest));

        Assert.That(image.LocalPath, Is.EqualTo($"s3://{_bucket}/sets/a/b.png"));
        Assert.That(SourceContent.ReadLocation(_resolver, image.LocalPath!).Bytes, Is.EqualTo(new byte[] { 7, 8, 9 }));
    }

    /// <summary>S3 buckets that note which bucket/key each read or look asks for.</summary>
    private sealed class KeyRecordingBuckets(IBucketStore inner, List<string> asked) : IBucketStore
    {
        public Task<BucketRead> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken = default)
        {
            asked.Add($"{bucket}/{key}");
            return inner.OpenReadAsync(bucket, key, cancellationToken);
        }

        public Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken = default)
        {
            asked.Add($"{bucket}/{key}");
            return inner.ExistsAsync(bucket, key, cancellationToken);
        }

        public Task WriteAsync(string bucket, string key, Func<Stream, Task> write, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(bucket, key, write, cancellationToken);
    }
}
