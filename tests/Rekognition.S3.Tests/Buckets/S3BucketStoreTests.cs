using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Rekognition.Core.Storage;
using Rekognition.S3.Buckets;
using Rekognition.S3.Tests.TestSupport;

namespace Rekognition.S3.Tests.Buckets;

/// <summary>s3:// locations through the S3 API: what is read, what is missing, what is refused.</summary>
public class S3BucketStoreTests
{
    [Test]
    public async Task AnObjectWritten_ReadsBackByteForByte()
    {
        var bucket = await S3TestServer.CreateBucketAsync("buckets");
        var store = new S3BucketStore(S3TestServer.Client(), chunkEncoding: false, S3TestServer.Url);
        var bytes = RandomNumberGenerator.GetBytes(3_000_000);

        await store.WriteAsync(bucket, "out/v1/manifest_summary.json", s => s.WriteAsync(bytes).AsTask());

        Assert.That(await S3TestServer.GetAsync(bucket, "out/v1/manifest_summary.json"), Is.EqualTo(bytes), "what S3 holds");
        var read = await store.OpenReadAsync(bucket, "out/v1/manifest_summary.json");
        await using var content = read.Content!;
        Assert.That(content.Length, Is.EqualTo(bytes.Length));
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        Assert.That(copy.ToArray(), Is.EqualTo(bytes), "what the store reads");
        Assert.That(await store.ExistsAsync(bucket, "out/v1/manifest_summary.json"), Is.True);
    }

    [Test]
    public async Task AMissingObjectOrBucket_IsNotFound_AndWritingToAMissingBucketSaysSo()
    {
        var bucket = await S3TestServer.CreateBucketAsync("buckets");
        var store = new S3BucketStore(S3TestServer.Client(), chunkEncoding: false, S3TestServer.Url);

        Assert.That((await store.OpenReadAsync(bucket, "none.manifest")).Failure, Is.EqualTo(BucketReadFailure.NotFound));
        Assert.That((await store.OpenReadAsync("no-such-bucket-x1", "a.manifest")).Failure, Is.EqualTo(BucketReadFailure.NotFound));
        Assert.That(await store.ExistsAsync("no-such-bucket-x1", "a.manifest"), Is.False);
        var failure = Assert.ThrowsAsync<BucketAccessException>(() => store.WriteAsync("no-such-bucket-x1", "out/a.json", s => s.WriteAsync(new byte[] { 1 }).AsTask()));
        Assert.That(failure!.Message, Does.Contain("Unable to write to output S3 bucket").And.Contain("'no-such-bucket-x1' does not exist"));
    }

    [Test]
    public async Task RefusedCredentials_AreAccessDenied_ForReadsAndWrites()
    {
        var bucket = await S3TestServer.CreateBucketAsync("buckets");
        await S3TestServer.PutAsync(bucket, "images/a.png", [1, 2, 3]);
        using var refused = RefusedClient();
        var store = new S3BucketStore(refused, chunkEncoding: false, S3TestServer.Url);

        Assert.That((await store.OpenReadAsync(bucket, "images/a.png")).Failure, Is.EqualTo(BucketReadFailure.AccessDenied));
        var failure = Assert.ThrowsAsync<BucketAccessException>(() => store.WriteAsync(bucket, "out/a.json", s => s.WriteAsync(new byte[] { 1 }).AsTask()));
        Assert.That(failure!.Message, Does.Contain("access to the bucket").And.Contain("denied"));
        Assert.That(await S3TestServer.GetAsync(bucket, "out/a.json"), Is.Null);
    }

    /// <summary>A client whose credentials the server does not know (s3rver answers 403 InvalidAccessKeyId; it does not check SigV4 signatures).</summary>
    public static AmazonS3Client RefusedClient() => new(
        new BasicAWSCredentials("UNKNOWNKEY", "S3RVER"),
        new AmazonS3Config { ServiceURL = S3TestServer.Url, ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
}
