using System.Globalization;
using System.Text.Json.Nodes;

namespace Rekognition.Core.Editing;

/// <summary>A bounding box of an entry, in pixels of the image (origin top-left).</summary>
/// <param name="Label">The box's label.</param>
/// <param name="Left">Left edge, px.</param>
/// <param name="Top">Top edge, px.</param>
/// <param name="Width">Width, px.</param>
/// <param name="Height">Height, px.</param>
/// <param name="Confidence">The annotator's confidence (0..1); below 1 for a model's suggestion.</param>
public sealed record EntryBox(string Label, int Left, int Top, int Width, int Height, double Confidence = 1);

/// <summary>An image-level label of an entry.</summary>
/// <param name="Name">The label.</param>
/// <param name="Confidence">The annotator's confidence (0..1); below 1 for a model's suggestion.</param>
public sealed record EntryLabel(string Name, double Confidence = 1);

/// <summary>
/// What an editor sees of a Ground Truth line: its image-level labels and its boxes. <see cref="Parse"/> reads every
/// classification (single and multi-label) and object-detection attribute of a line; <see cref="ToLine"/> writes
/// them back as human-annotated Ground Truth attributes over the other members of the original line.
/// </summary>
/// <param name="SourceRef">The image's source-ref.</param>
/// <param name="Labels">Image-level labels.</param>
/// <param name="Boxes">Bounding boxes.</param>
/// <param name="ImageWidth">The image's width from the line's image_size, when it has one.</param>
/// <param name="ImageHeight">The image's height from the line's image_size, when it has one.</param>
/// <param name="MachineAnnotated">Whether a label attribute says human-annotated "no" (a model's suggestion not yet reviewed).</param>
public sealed record EntryAnnotations(
    string SourceRef, IReadOnlyList<EntryLabel> Labels, IReadOnlyList<EntryBox> Boxes, int? ImageWidth = null, int? ImageHeight = null, bool MachineAnnotated = false)
{
    private const string LabelAttribute = "console-label-";
    private const string BoxAttribute = "console-boxes";

    /// <summary>Reads a Ground Truth line; throws <see cref="Model.InvalidParameterException"/> when it is not a JSON object with a source-ref.</summary>
    public static EntryAnnotations Parse(string line)
    {
        var json = Object(line);
        var sourceRef = json["source-ref"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new Model.InvalidParameterException("The line has no source-ref.");
        var labels = new List<EntryLabel>();
        var boxes = new List<EntryBox>();
        int? width = null, height = null;
        var machine = false;
        foreach (var (name, value, metadata) in LabelAttributes(json))
        {
            machine |= metadata["human-annotated"] is JsonValue h && h.TryGetValue<string>(out var human) && human == "no";
            var classMap = metadata["class-map"] as JsonObject;
            if (value is JsonObject detection && detection["annotations"] is JsonArray annotations)
            {
                if (detection["image_size"] is JsonArray { Count: > 0 } sizes && sizes[0] is JsonObject size)
                {
                    width = Int(size["width"]);
                    height = Int(size["height"]);
                }

                var objects = metadata["objects"] as JsonArray;
                for (var i = 0; i < annotations.Count; i++)
                {
                    if (annotations[i] is not JsonObject a || ClassName(classMap, a["class_id"]) is not { } label)
                    {
                        continue;
                    }

                    var confidence = objects is not null && i < objects.Count && objects[i] is JsonObject o ? Double(o["confidence"]) ?? 1 : 1;
                    boxes.Add(new EntryBox(label, Int(a["left"]) ?? 0, Int(a["top"]) ?? 0, Int(a["width"]) ?? 0, Int(a["height"]) ?? 0, confidence));
                }
            }
            else if (value is JsonArray multi)
            {
                var confidences = metadata["confidence-map"] as JsonObject;
                foreach (var id in multi)
                {
                    if (ClassName(classMap, id) is { } label)
                    {
                        labels.Add(new EntryLabel(label, Double(confidences?[id!.ToJsonString()]) ?? 1));
                    }
                }
            }
            else if (metadata["class-name"] is JsonValue c && c.TryGetValue<string>(out var className))
            {
                labels.Add(new EntryLabel(className, Double(metadata["confidence"]) ?? 1));
            }
        }

        return new EntryAnnotations(sourceRef, labels, boxes, width, height, machine);
    }

    /// <summary>
    /// The Ground Truth line for these annotations: <paramref name="originalLine"/>'s members other than its label
    /// attributes (and the service's errors and warnings, found again when the line is checked), then one
    /// classification attribute per label and one detection attribute with every box, all human-annotated.
    /// Boxes need <see cref="ImageWidth"/> and <see cref="ImageHeight"/>.
    /// </summary>
    public string ToLine(string? originalLine, DateTime now)
    {
        var json = originalLine is null ? new JsonObject() : Object(originalLine);
        foreach (var (name, _, _) in LabelAttributes(json).ToList())
        {
            json.Remove(name);
            json.Remove(name + "-metadata");
        }

        json.Remove("errors");
        json.Remove("warnings");
        json["source-ref"] = SourceRef;
        var created = now.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        var index = 0;
        foreach (var label in Labels.DistinctBy(l => l.Name, StringComparer.Ordinal))
        {
            var attribute = LabelAttribute + index++.ToString(CultureInfo.InvariantCulture);
            json[attribute] = 0;
            json[attribute + "-metadata"] = new JsonObject
            {
                ["confidence"] = label.Confidence,
                ["class-name"] = label.Name,
                ["human-annotated"] = "yes",
                ["creation-date"] = created,
                ["type"] = "groundtruth/image-classification",
                ["job-name"] = "labeling-job/console",
            };
        }

        if (Boxes.Count > 0)
        {
            if (ImageWidth is not { } width || ImageHeight is not { } height)
            {
                throw new Model.InvalidParameterException("Boxes need the image's size (image_size).");
            }

            var names = Boxes.Select(b => b.Label).Distinct(StringComparer.Ordinal).ToList();
            var classMap = new JsonObject();
            for (var i = 0; i < names.Count; i++)
            {
                classMap[i.ToString(CultureInfo.InvariantCulture)] = names[i];
            }

            var annotations = new JsonArray();
            var objects = new JsonArray();
            foreach (var box in Boxes)
            {
                annotations.Add(new JsonObject
                {
                    ["class_id"] = names.IndexOf(box.Label),
                    ["left"] = box.Left,
                    ["top"] = box.Top,
                    ["width"] = box.Width,
                    ["height"] = box.Height,
                });
                objects.Add(new JsonObject { ["confidence"] = box.Confidence });
            }

            json[BoxAttribute] = new JsonObject
            {
                ["image_size"] = new JsonArray(new JsonObject { ["width"] = width, ["height"] = height, ["depth"] = 3 }),
                ["annotations"] = annotations,
            };
            json[BoxAttribute + "-metadata"] = new JsonObject
            {
                ["objects"] = objects,
                ["class-map"] = classMap,
                ["type"] = "groundtruth/object-detection",
                ["human-annotated"] = "yes",
                ["creation-date"] = created,
                ["job-name"] = "labeling-job/console",
            };
        }

        return json.ToJsonString();
    }

    /// <summary>The label attributes of a line: members whose <c>name-metadata</c> member is an object with a type, class-name or class-map.</summary>
    internal static IEnumerable<(string Name, JsonNode? Value, JsonObject Metadata)> LabelAttributes(JsonObject json)
    {
        foreach (var (name, value) in json)
        {
            if (name.EndsWith("-metadata", StringComparison.Ordinal) || json[name + "-metadata"] is not JsonObject metadata)
            {
                continue;
            }

            if (metadata.ContainsKey("type") || metadata.ContainsKey("class-name") || metadata.ContainsKey("class-map"))
            {
                yield return (name, value, metadata);
            }
        }
    }

    internal static JsonObject Object(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject ?? throw new Model.InvalidParameterException("The line is not a JSON object.");
        }
        catch (System.Text.Json.JsonException)
        {
            throw new Model.InvalidParameterException("The line is not valid JSON.");
        }
    }

    private static string? ClassName(JsonObject? classMap, JsonNode? id) =>
        classMap is not null && id is JsonValue && classMap[id.ToJsonString().Trim('"')] is JsonValue name && name.TryGetValue<string>(out var s) ? s : null;

    private static int? Int(JsonNode? node) => Double(node) is { } d ? (int)Math.Round(d) : null;

    private static double? Double(JsonNode? node) =>
        node is JsonValue value && (value.TryGetValue<double>(out var d) || (value.TryGetValue<string>(out var s) && double.TryParse(s, CultureInfo.InvariantCulture, out d))) ? d : null;
}
