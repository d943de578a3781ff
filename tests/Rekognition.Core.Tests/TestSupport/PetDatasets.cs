using Rekognition.Core.Model;

namespace Rekognition.Core.Tests.TestSupport;

/// <summary>Datasets for the training workflow's tests: wide images are "cat", tall ones "dog" (see <see cref="AspectRatioTrainer"/>).</summary>
internal static class PetDatasets
{
    /// <summary>Writes the images and manifest under s3://media/<paramref name="folder"/>, creates the dataset and waits for CREATE_COMPLETE.</summary>
    public static async Task<string> CreateAsync(TestStore store, string project, string type, string folder, int cats, int dogs)
    {
        var manifest = WriteManifest(store, folder, cats, dogs);
        var arn = (await store.Client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = project,
            DatasetType = type,
            DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "media", Name = manifest } } },
        })).DatasetArn!;
        var description = await store.WaitForDatasetAsync(arn);
        Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), description.StatusMessage);
        return arn;
    }

    /// <summary>Writes the images and manifest under s3://media/<paramref name="folder"/> and returns the manifest's key.</summary>
    public static string WriteManifest(TestStore store, string folder, int cats, int dogs)
    {
        var lines = new List<string>();
        for (var i = 0; i < cats; i++)
        {
            store.PutObject("media", $"{folder}/cat{i}.png", PngBuilder.Rgb(128 + i, 64));
            lines.Add(ManifestLines.Classification($"s3://media/{folder}/cat{i}.png", "cat"));
        }

        for (var i = 0; i < dogs; i++)
        {
            store.PutObject("media", $"{folder}/dog{i}.png", PngBuilder.Rgb(64, 128 + i));
            lines.Add(ManifestLines.Classification($"s3://media/{folder}/dog{i}.png", "dog"));
        }

        return store.PutObject("media", $"{folder}.manifest", ManifestLines.Join(lines));
    }
}
