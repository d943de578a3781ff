using System.Text.Json;

namespace Rekognition.Server.Tests.TestSupport;

/// <summary>Lines of SageMaker Ground Truth manifests, as the tests write them into buckets.</summary>
public static class ManifestLines
{
    /// <summary>An image-level label under the label attribute <paramref name="attribute"/> (its job is <c>labeling-job/{attribute}</c>).</summary>
    public static string Classification(string sourceRef, string label, string attribute = "animal") =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["source-ref"] = sourceRef,
            [attribute] = 1,
            [$"{attribute}-metadata"] = new Dictionary<string, object>
            {
                ["class-name"] = label,
                ["confidence"] = 1,
                ["type"] = "groundtruth/image-classification",
                ["job-name"] = $"labeling-job/{attribute}",
                ["human-annotated"] = "yes",
                ["creation-date"] = "2024-01-01T00:00:00.000",
            },
        });
}
