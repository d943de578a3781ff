using System.Text.Json.Nodes;

namespace Rekognition.Core.Editing;

/// <summary>
/// Renames one label inside a Ground Truth line, in every classification (class-name), multi-label and detection
/// (class-map) attribute. When the new name is already in a class-map, the old id's uses move to the existing id
/// (a merge), so the line never maps two ids to one name.
/// </summary>
internal static class LabelRewriter
{
    /// <summary>Rewrites <paramref name="line"/> in place; true when anything changed.</summary>
    public static bool Rename(JsonObject line, string from, string to)
    {
        var changed = false;
        foreach (var (_, value, metadata) in EntryAnnotations.LabelAttributes(line).ToList())
        {
            if (metadata["class-name"] is JsonValue c && c.TryGetValue<string>(out var name) && name == from)
            {
                metadata["class-name"] = to;
                changed = true;
            }

            if (metadata["class-map"] is not JsonObject classMap)
            {
                continue;
            }

            var oldId = classMap.FirstOrDefault(p => Is(p.Value, from)).Key;
            if (oldId is null)
            {
                continue;
            }

            changed = true;
            var existingId = classMap.FirstOrDefault(p => Is(p.Value, to)).Key;
            if (existingId is null)
            {
                classMap[oldId] = to;
                continue;
            }

            classMap.Remove(oldId);
            metadata["confidence-map"]?.AsObject().Remove(oldId);
            if (value is JsonObject detection && detection["annotations"] is JsonArray annotations)
            {
                foreach (var annotation in annotations.OfType<JsonObject>())
                {
                    if (annotation["class_id"]?.ToJsonString().Trim('"') == oldId)
                    {
                        annotation["class_id"] = int.Parse(existingId, System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
            }
            else if (value is JsonArray ids)
            {
                var kept = ids.Select(i => i!.ToJsonString().Trim('"')).Select(i => i == oldId ? existingId : i).Distinct().ToList();
                ids.Clear();
                foreach (var id in kept)
                {
                    ids.Add(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return changed;
    }

    private static bool Is(JsonNode? node, string name) => node is JsonValue v && v.TryGetValue<string>(out var s) && s == name;
}
