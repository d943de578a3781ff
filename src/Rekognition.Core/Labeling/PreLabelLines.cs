using System.Text.Json.Nodes;
using Rekognition.Core.Manifests;
using Rekognition.Core.Model;
using Rekognition.Core.Models;

namespace Rekognition.Core.Labeling;

/// <summary>
/// The Ground Truth lines of assisted labeling: a model's labels written machine-annotated (human-annotated
/// "no", the model's confidence kept), and the same line made human-annotated once a reviewer confirms it.
/// </summary>
internal static class PreLabelLines
{
    public const string JobName = "custom-labels-assisted-labeling";

    /// <summary>
    /// Writes the model's labels of one image: the top label for a one-label-per-image model, every label
    /// for a multi-label model, the boxes for an object-location model. False (nothing written) when none.
    /// </summary>
    public static bool Write(GroundTruthManifestWriter writer, string sourceRef, ModelKind kind, IReadOnlyList<CustomLabel> labels, int width, int height, DateTime now)
    {
        var created = new ManifestTimestamp(now);
        if (kind == ModelKind.Detection)
        {
            var boxed = labels.Where(l => l.Geometry?.BoundingBox is not null).ToList();
            if (boxed.Count == 0)
            {
                return false;
            }

            var classes = boxed.Select(l => l.Name!).Distinct(StringComparer.Ordinal).ToList();
            writer.WriteLine(sourceRef, ReadOnlySpan<ImageLabel>.Empty, new ImageBoundingBoxes
            {
                ImageWidth = width,
                ImageHeight = height,
                ClassNames = classes.Select((name, id) => (name, id)).ToDictionary(c => c.id, c => c.name),
                Annotations = boxed.Select(l =>
                {
                    var box = l.Geometry!.BoundingBox!;
                    return new BoundingBoxAnnotation(classes.IndexOf(l.Name!),
                        Math.Round(box.Left!.Value * width), Math.Round(box.Top!.Value * height),
                        Math.Max(1, Math.Round(box.Width!.Value * width)), Math.Max(1, Math.Round(box.Height!.Value * height)))
                    {
                        Confidence = Math.Clamp(l.Confidence!.Value / 100.0, 0, 1),
                    };
                }).ToArray(),
                JobName = JobName,
                HumanAnnotated = false,
                CreationDate = created,
            });
            return true;
        }

        var chosen = kind == ModelKind.MultiClass ? labels.Take(1).ToList() : labels.ToList();
        if (chosen.Count == 0)
        {
            return false;
        }

        var imageLabels = chosen.Select((l, i) => new ImageLabel(chosen.Count == 1 ? "assisted-label" : $"assisted-label-{i}", l.Name!, created)
        {
            Confidence = Math.Clamp(l.Confidence!.Value / 100.0, 0, 1),
            JobName = JobName,
            HumanAnnotated = false,
        }).ToArray();
        writer.WriteLine(sourceRef, imageLabels, null);
        return true;
    }

    /// <summary>Whether any label attribute of the line was made by a machine (human-annotated "no").</summary>
    public static bool IsMachineAnnotated(JsonObject line) =>
        Metadata(line).Any(m => m["human-annotated"]?.GetValue<string>() == "no");

    /// <summary>The line with every label attribute marked human-annotated: a reviewer confirmed it.</summary>
    public static string Confirmed(JsonObject line)
    {
        foreach (var metadata in Metadata(line))
        {
            metadata["human-annotated"] = "yes";
        }

        return line.ToJsonString();
    }

    private static List<JsonObject> Metadata(JsonObject line) =>
        line.Where(p => p.Key.EndsWith("-metadata", StringComparison.Ordinal) && p.Value is JsonObject).Select(p => (JsonObject)p.Value!).ToList();
}
