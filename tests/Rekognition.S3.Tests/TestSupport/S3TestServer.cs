using Amazon.S3;
using Amazon.S3.Model;
using Rekognition.Core;
using Rekognition.S3.Client;

namespace Rekognition.S3.Tests.TestSupport;

/// <summary>
/// The S3-compatible server the tests run against: its address in REKOGNITION_TEST_S3_URL (set by .ci/s3.sh), its
/// credentials s3rver's fixed S3RVER/S3RVER, given through the environment so the AWS SDK's standard chain finds them.
/// Each test makes buckets of its own.
/// </summary>
internal static class S3TestServer
{
    public const string UrlVariable = "REKOGNITION_TEST_S3_URL";

    /// <summary>The server's address; the test fails, saying how to start one, when it is not set.</summary>
    public static string Url
    {
        get
        {
            var url = Environment.GetEnvironmentVariable(UrlVariable);
            if (string.IsNullOrWhiteSpace(url))
            {
                Assert.Fail(
                    $"{UrlVariable} is not set: these tests need an S3-compatible server. Start one with `source .ci/s3.sh` (it installs npm's s3rver 3.7 " +
                    $"into a cache folder and exports {UrlVariable}), or run `npx s3rver@3.7 -d /tmp/s3 -a 127.0.0.1 -p 4568` and set {UrlVariable}=http://127.0.0.1:4568.");
            }

            // s3rver's fixed credentials, for the SDK's standard chain (as an operator would set them).
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "S3RVER");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "S3RVER");
            return url!;
        }
    }

    /// <summary>The client settings for the server (path-style, no chunk encoding: s3rver does not decode it).</summary>
    public static S3Options Options() => new() { ServiceUrl = Url, ForcePathStyle = true, DisableChunkEncoding = true };

    /// <summary>Options of a store whose artifacts (and, with <paramref name="buckets"/>, buckets) are on the server.</summary>
    public static void Configure(RekognitionOptions options, string artifactsBucket, bool buckets = false)
    {
        options.S3 = Options();
        options.Artifacts.Provider = ArtifactsProvider.S3;
        options.Artifacts.Bucket = artifactsBucket;
        options.Artifacts.Prefix = "stores/test";
        if (buckets)
        {
            options.Buckets.Provider = BucketsProvider.S3;
        }
    }

    public static AmazonS3Client Client() => S3ClientFactory.Create(Options());

    /// <summary>Makes a bucket with a fresh name starting with <paramref name="stem"/> and returns the name.</summary>
    public static async Task<string> CreateBucketAsync(string stem)
    {
        var name = $"{stem}-{Guid.NewGuid():N}"[..Math.Min(63, stem.Length + 33)];
        using var client = Client();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return name;
    }

    /// <summary>Makes the bucket <paramref name="name"/> unless it is there (a fixed name several tests share).</summary>
    public static async Task EnsureBucketAsync(string name)
    {
        using var client = Client();
        try
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    /// <summary>The bytes of s3://bucket/key, or null when there is no such object.</summary>
    public static async Task<byte[]?> GetAsync(string bucket, string key)
    {
        using var client = Client();
        try
        {
            using var response = await client.GetObjectAsync(bucket, key);
            using var copy = new MemoryStream();
            await response.ResponseStream.CopyToAsync(copy);
            return copy.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Writes s3://bucket/key.</summary>
    public static async Task PutAsync(string bucket, string key, byte[] content)
    {
        using var client = Client();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false });
    }

    /// <summary>The keys of a bucket beneath <paramref name="prefix"/>.</summary>
    public static async Task<List<string>> KeysAsync(string bucket, string prefix = "")
    {
        using var client = Client();
        return await Rekognition.Testing.S3.S3Keys.ListAsync(client, bucket, prefix);
    }
}
