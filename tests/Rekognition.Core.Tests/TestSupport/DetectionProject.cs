using System.Text;
using System.Text.Json;
using Rekognition.Core.Model;

namespace Rekognition.Core.Tests.TestSupport;

/// <summary>
/// Detection datasets for the bad-input and training-job tests: real 320x240 PNGs under s3://boards/,
/// box lines from <see cref="GroundTruthLines.Boxes"/> (class id n is label "c{n}").
/// </summary>
internal static class DetectionProject
{
    public const int Width = 320;
    public const int Height = 240;

    /// <summary>s3://boards/{name}.png, written as a real PNG of <see cref="Width"/>x<see cref="Height"/>.</summary>
    public static string Image(TestStore store, string name, int width = Width, int height = Height)
    {
        store.PutObject("boards", $"{name}.png", PngBuilder.Rgb(width, height, (byte)(40 + (name.Length * 13 % 180))));
        return $"s3://boards/{name}.png";
    }

    /// <summary>A box line on a fresh image.</summary>
    public static string Boxes(TestStore store, string name, params (int ClassId, double Left, double Top, double Width, double Height)[] boxes) =>
        GroundTruthLines.Boxes(Image(store, name), Width, Height, boxes);

    /// <summary><paramref name="count"/> good lines, each with one box of class 0 and one of class 1 ("c0", "c1").</summary>
    public static IEnumerable<string> GoodLines(TestStore store, string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => Boxes(store, $"{prefix}{i}", (0, 10 + i, 20, 60, 50), (1, 150, 100 + i, 80, 70)));

    /// <summary>An image-level line on a fresh image.</summary>
    public static string ImageLevel(TestStore store, string name, string label) => GroundTruthLines.Classification(Image(store, name), label);

    /// <summary>Creates a dataset from <paramref name="lines"/> and waits until its operation ends.</summary>
    public static async Task<(string Arn, DatasetDescription Description)> CreateAsync(TestStore store, string project, DatasetType type, IEnumerable<string> lines)
    {
        var key = $"manifests/{Guid.NewGuid():N}.manifest";
        store.PutObject("boards", key, ManifestLines.Join(lines));
        var arn = (await store.Client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = project,
            DatasetType = type,
            DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "boards", Name = key } } },
        })).DatasetArn!;
        return (arn, await store.WaitForDatasetAsync(arn));
    }

    public static async Task<DatasetDescription> UpdateAsync(TestStore store, string datasetArn, IEnumerable<string> lines)
    {
        await store.Client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest
        {
            DatasetArn = datasetArn,
            Changes = new DatasetChanges { GroundTruth = new MemoryStream(Encoding.UTF8.GetBytes(ManifestLines.Join(lines))) },
        });
        return await store.WaitForDatasetAsync(datasetArn);
    }

    public static async Task<List<string>> EntriesAsync(TestStore store, string datasetArn, bool? hasErrors = null, bool? labeled = null)
    {
        var request = new ListDatasetEntriesRequest { DatasetArn = datasetArn, HasErrors = hasErrors, Labeled = labeled };
        var lines = new List<string>();
        do
        {
            var page = await store.Client.ListDatasetEntriesAsync(request);
            lines.AddRange(page.DatasetEntries);
            request.NextToken = page.NextToken;
        }
        while (request.NextToken is not null);

        return lines;
    }

    /// <summary>The stored entry of s3://boards/{name}.png.</summary>
    public static async Task<JsonElement> EntryAsync(TestStore store, string datasetArn, string name)
    {
        var page = await store.Client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = datasetArn, SourceRefContains = $"/{name}.png" });
        return JsonDocument.Parse(page.DatasetEntries.Single()).RootElement.Clone();
    }

    /// <summary>The (code, message) pairs of an "errors" or "warnings" array, or none when the key is absent.</summary>
    public static (string Code, string Message)[] Issues(JsonElement holder, string key = "errors") =>
        holder.TryGetProperty(key, out var array)
            ? array.EnumerateArray().Select(e => (e.GetProperty("code").GetString()!, e.GetProperty("message").GetString()!)).ToArray()
            : [];

    public static string[] Codes(JsonElement holder, string key = "errors") => Issues(holder, key).Select(i => i.Code).ToArray();
}
