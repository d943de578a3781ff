using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.S3.Tests.TestSupport;

/// <summary>The pet images (wide "cat", tall "dog") and their manifest, uploaded to a real bucket.</summary>
internal static class S3Pets
{
    /// <summary>Uploads the images under <paramref name="folder"/>/ and the manifest beside them; returns the manifest's key.</summary>
    public static async Task<string> UploadAsync(string bucket, string folder, int cats, int dogs)
    {
        var lines = new List<string>();
        for (var i = 0; i < cats; i++)
        {
            await S3TestServer.PutAsync(bucket, $"{folder}/cat{i}.png", PngBuilder.Rgb(128 + i, 64));
            lines.Add(ManifestLines.Classification($"s3://{bucket}/{folder}/cat{i}.png", "cat"));
        }

        for (var i = 0; i < dogs; i++)
        {
            await S3TestServer.PutAsync(bucket, $"{folder}/dog{i}.png", PngBuilder.Rgb(64, 128 + i));
            lines.Add(ManifestLines.Classification($"s3://{bucket}/{folder}/dog{i}.png", "dog"));
        }

        var manifest = $"{folder}.manifest";
        await S3TestServer.PutAsync(bucket, manifest, System.Text.Encoding.UTF8.GetBytes(ManifestLines.Join(lines)));
        return manifest;
    }
}
