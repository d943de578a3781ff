using Amazon.S3;
using Amazon.S3.Model;

namespace Rekognition.Testing.S3;

/// <summary>Lists a bucket's keys through every page, for the tests that check what an S3 store holds.</summary>
internal static class S3Keys
{
    /// <summary>The keys of <paramref name="bucket"/> beneath <paramref name="prefix"/>.</summary>
    public static async Task<List<string>> ListAsync(IAmazonS3 client, string bucket, string prefix)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        ListObjectsV2Response response;
        do
        {
            response = await client.ListObjectsV2Async(request);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
        return keys;
    }
}
