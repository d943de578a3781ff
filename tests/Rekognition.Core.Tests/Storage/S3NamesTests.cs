using Rekognition.Core.Storage;

namespace Rekognition.Core.Tests.Storage;

public class S3NamesTests
{
    [TestCase("artifacts")]
    [TestCase("my-bucket")]
    [TestCase("S3-bucket")]
    [TestCase("legacy_bucket.v2")]
    [TestCase("abc")]
    public void PlainBucketNames_AreAccepted(string bucket) => Assert.That(S3Names.BucketProblem(bucket), Is.Null);

    [TestCase("ab")]
    [TestCase("..")]
    [TestCase("...")]
    [TestCase("../x")]
    [TestCase("a..b")]
    [TestCase("-abc")]
    [TestCase("abc.")]
    [TestCase("/tmp/x")]
    [TestCase("a\\b")]
    [TestCase("10.0.0.1")]
    [TestCase("bad bucket")]
    [TestCase(null)]
    public void BucketNamesThatAreNotOneFolderName_AreRefused(string? bucket) => Assert.That(S3Names.BucketProblem(bucket), Is.Not.Null);

    [TestCase("", true)]
    [TestCase("models/", true)]
    [TestCase("a/b/c/", true)]
    [TestCase("%2e%2e/", true)]
    [TestCase("x.json", false)]
    [TestCase("a/b/x.json", false)]
    [TestCase("...x/y", false)]
    public void PlainKeys_AreAccepted(string key, bool isPrefix) => Assert.That(S3Names.KeyProblem(key, isPrefix), Is.Null);

    [TestCase("", false)]
    [TestCase("../", true)]
    [TestCase("a/../", true)]
    [TestCase("./", true)]
    [TestCase("a//", true)]
    [TestCase("/abs/", true)]
    [TestCase("a\\..\\", true)]
    [TestCase("a\0b/", true)]
    [TestCase("a/", false)]
    public void KeysThatWouldNameAnotherFile_AreRefused(string key, bool isPrefix) => Assert.That(S3Names.KeyProblem(key, isPrefix), Is.Not.Null);

    [Test]
    public void KeysLongerThan1024Characters_OrWithSegmentsLongerThanAFileName_AreRefused()
    {
        Assert.That(S3Names.KeyProblem(string.Concat(Enumerable.Repeat("a/", 512)), isPrefix: true), Is.Null, "1024 characters");
        Assert.That(S3Names.KeyProblem(string.Concat(Enumerable.Repeat("a/", 512)) + "b", isPrefix: false), Is.Not.Null);
        Assert.That(S3Names.KeyProblem(new string('k', 255), isPrefix: false), Is.Null);
        Assert.That(S3Names.KeyProblem(new string('k', 256), isPrefix: false), Is.Not.Null);
        Assert.That(S3Names.KeyProblem(new string('é', 128), isPrefix: false), Is.Not.Null, "256 bytes in UTF-8");
    }

    [Test]
    public void MachinePaths_AreReplacedByTheirPublicNames()
    {
        var message = MachinePaths.Hide("Could not find file '/srv/rk/store/buckets/imgs/a.png' nor '/srv/rk/store/models/1/x'.",
            ("/srv/rk/store/buckets", "s3:/"), ("/srv/rk/store", "<store>"));
        Assert.That(message, Is.EqualTo("Could not find file 's3://imgs/a.png' nor '<store>/models/1/x'."));
    }
}
