using Rekognition.Core.Storage;
using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Core.Tests.Storage;

public class SourceRefResolverTests
{
    private string _root = null!;
    private SourceRefResolver _resolver = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "rk-resolver", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_root, "buckets", "my-bucket"));
        Directory.CreateDirectory(Path.Combine(_root, "images"));
        Directory.CreateDirectory(Path.Combine(_root, "outside"));
        _resolver = new SourceRefResolver(new RekognitionOptions
        {
            StoreRoot = Path.Combine(_root, "store"),
            BucketsRoot = Path.Combine(_root, "buckets"),
            AllowedImageRoots = { Path.Combine(_root, "images") },
        });
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void S3References_MapUnderTheBucketsRoot()
    {
        var resolved = _resolver.Resolve("s3://my-bucket/kitchens/img_0042.jpg");
        Assert.That(resolved.Status, Is.EqualTo(SourceRefStatus.Resolved));
        Assert.That(resolved.LocalPath, Is.EqualTo(Path.Combine(_root, "buckets", "my-bucket", "kitchens", "img_0042.jpg")));
        Assert.That(resolved.Bucket, Is.EqualTo("my-bucket"));
    }

    // Empty segments (a leading, doubled or trailing '/') name no folder: the path is the key's other segments.
    [TestCase("s3://my-bucket//kitchens/img_0042.jpg")]
    [TestCase("s3://my-bucket/kitchens//img_0042.jpg")]
    [TestCase("s3://my-bucket/kitchens/img_0042.jpg/")]
    public void S3KeysWithEmptySegments_MapToTheSameFile(string sourceRef)
    {
        var resolved = _resolver.Resolve(sourceRef);
        Assert.That(resolved.Status, Is.EqualTo(SourceRefStatus.Resolved));
        Assert.That(resolved.LocalPath, Is.EqualTo(Path.Combine(_root, "buckets", "my-bucket", "kitchens", "img_0042.jpg")));
    }

    [Test]
    public void ReferencesToSeveralBuckets_EachMapUnderTheirOwnBucket()
    {
        // The resolver keeps the last bucket it checked: a change of bucket, and a bad one after a good one, are still seen.
        foreach (var bucket in new[] { "my-bucket", "other-bucket", "my-bucket" })
        {
            var resolved = _resolver.Resolve($"s3://{bucket}/a/x.jpg");
            Assert.That(resolved.Bucket, Is.EqualTo(bucket));
            Assert.That(resolved.LocalPath, Is.EqualTo(Path.Combine(_root, "buckets", bucket, "a", "x.jpg")));
        }

        Assert.That(_resolver.Resolve("s3://my-buck/a/x.jpg").Status, Is.EqualTo(SourceRefStatus.Resolved));
        Assert.That(_resolver.Resolve("s3://my..bucket/a/x.jpg").Status, Is.EqualTo(SourceRefStatus.InvalidFormat));
        Assert.That(_resolver.Resolve("s3://my-bucket/../x.jpg").Bucket, Is.EqualTo("my-bucket"));
    }

    [TestCase("s3://my-bucket/../other-bucket/x.jpg")]
    [TestCase("s3://my-bucket/a/../../../outside/x.jpg")]
    public void S3KeysThatEscapeTheirBucket_AreOutsideTheRoots(string sourceRef) =>
        Assert.That(_resolver.Resolve(sourceRef).Status, Is.EqualTo(SourceRefStatus.OutsideRoots));

    [TestCase("https://my-bucket.s3.amazonaws.com/x.jpg")]
    [TestCase("s3://")]
    [TestCase("s3://my-bucket")]
    [TestCase("s3://my-bucket/")]
    [TestCase("s3://b/x.jpg")]
    [TestCase("s3://bad bucket/x.jpg")]
    [TestCase("relative/without/base.jpg")]
    [TestCase("")]
    public void MalformedReferences_AreInvalidFormat(string sourceRef) =>
        Assert.That(_resolver.Resolve(sourceRef).Status, Is.EqualTo(SourceRefStatus.InvalidFormat));

    [Test]
    public void FileUrisAndPaths_MustLieInsideAnAllowedRoot()
    {
        var inside = Path.Combine(_root, "images", "a.png");
        Assert.That(_resolver.Resolve(new Uri(inside).AbsoluteUri).Status, Is.EqualTo(SourceRefStatus.Resolved));
        Assert.That(_resolver.Resolve(inside).Status, Is.EqualTo(SourceRefStatus.Resolved));
        Assert.That(_resolver.Resolve(Path.Combine(_root, "outside", "a.png")).Status, Is.EqualTo(SourceRefStatus.OutsideRoots));
        Assert.That(_resolver.Resolve(Path.Combine(_root, "images", "..", "outside", "a.png")).Status, Is.EqualTo(SourceRefStatus.OutsideRoots));
        Assert.That(_resolver.Resolve("/etc/passwd").Status, Is.EqualTo(SourceRefStatus.OutsideRoots));
        Assert.That(_resolver.Resolve("a.png", Path.Combine(_root, "images")).LocalPath, Is.EqualTo(inside));
        Assert.That(_resolver.Resolve("../outside/a.png", Path.Combine(_root, "images")).Status, Is.EqualTo(SourceRefStatus.OutsideRoots));
    }

    [Test]
    public void SymbolicLinksOutOfTheRoots_AreRefusedWhenOpened()
    {
        var target = Path.Combine(_root, "outside", "secret.png");
        File.WriteAllBytes(target, new byte[] { 1 });
        var link = Path.Combine(_root, "buckets", "my-bucket", "link.png");
        File.CreateSymbolicLink(link, target);
        Directory.CreateSymbolicLink(Path.Combine(_root, "images", "dirlink"), Path.Combine(_root, "outside"));

        var viaFile = _resolver.Resolve("s3://my-bucket/link.png");
        Assert.That(viaFile.Status, Is.EqualTo(SourceRefStatus.Resolved), "lexically inside");
        Assert.That(_resolver.OpenRead(viaFile.LocalPath!, out var failure), Is.Null);
        Assert.That(failure, Is.EqualTo(ConfinedOpenFailure.OutsideRoot));
        var viaDirectory = _resolver.Resolve(Path.Combine(_root, "images", "dirlink", "secret.png"));
        Assert.That(_resolver.OpenRead(viaDirectory.LocalPath!, out failure), Is.Null);
        Assert.That(failure, Is.EqualTo(ConfinedOpenFailure.OutsideRoot));
        Assert.That(_resolver.OpenObject("my-bucket", "link.png", out _), Is.Null);

        var real = Path.Combine(_root, "images", "real.png");
        File.WriteAllBytes(real, new byte[] { 1 });
        using var stream = _resolver.OpenRead(real, out _);
        Assert.That(stream, Is.Not.Null);
    }

    [TestCase("s3://my-bucket/./x.jpg")]
    [TestCase("s3://my-bucket/a/../x.jpg", Description = "'..' names no object even when it stays inside")]
    public void S3KeysWithDotSegments_NameNoObject(string sourceRef) =>
        Assert.That(_resolver.Resolve(sourceRef).Status, Is.EqualTo(SourceRefStatus.OutsideRoots));

    [TestCase("s3://-bucket/x.jpg")]
    [TestCase("s3://bucket-/x.jpg")]
    [TestCase("s3://my..bucket/x.jpg")]
    [TestCase("s3://192.168.1.10/x.jpg")]
    [TestCase("s3://.../x.jpg")]
    [TestCase("s3://my-bucket/a\\..\\x.jpg")]
    public void BucketsAndKeysThatCannotNameAFolderAndFile_AreInvalidFormat(string sourceRef) =>
        Assert.That(_resolver.Resolve(sourceRef).Status, Is.EqualTo(SourceRefStatus.InvalidFormat));
}
