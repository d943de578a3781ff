using System.Text;

namespace Rekognition.Testing.Fuzzing;

/// <summary>The words the Ground Truth manifest format gives meaning to: the fuzz dictionary of manifest lines.</summary>
internal static class GroundTruthWords
{
    public static IReadOnlyList<byte[]> All { get; } = new[]
    {
        "source-ref", "-metadata", "type", "groundtruth/image-classification", "groundtruth/object-detection", "class-name",
        "confidence", "human-annotated", "creation-date", "job-name", "class-map", "objects", "image_size", "annotations", "width", "height",
        "depth", "left", "top", "class_id", "errors", "warnings", "cl-errors", "cl-metadata", "s3://bucket/a.jpg", "yes", "no",
        "2020-01-01T00:00:00.000000", "\r\n", "\n", "\uFEFF",
    }.Select(Encoding.UTF8.GetBytes).ToArray();
}
