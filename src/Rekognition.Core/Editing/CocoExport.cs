using System.Text.Json;

namespace Rekognition.Core.Editing;

/// <summary>Writes entries as one COCO JSON document: images, categories (ids from 1, in label order) and box annotations.</summary>
internal static class CocoExport
{
    public static async Task WriteAsync(
        IReadOnlyList<EntryAnnotations> entries, IReadOnlyCollection<string> labels, Func<string, (int Width, int Height)?> probe, Stream destination,
        CancellationToken cancellationToken)
    {
        var categories = labels.Concat(entries.SelectMany(e => e.Boxes.Select(b => b.Label)))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select((name, i) => (name, id: i + 1)).ToDictionary(c => c.name, c => c.id, StringComparer.Ordinal);
        await using var json = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteStartArray("images");
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var size = entry.ImageWidth is { } w && entry.ImageHeight is { } h ? (w, h) : probe(entry.SourceRef);
            json.WriteStartObject();
            json.WriteNumber("id", i + 1);
            json.WriteString("file_name", entry.SourceRef);
            json.WriteNumber("width", size?.Item1 ?? 0);
            json.WriteNumber("height", size?.Item2 ?? 0);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("annotations");
        var annotation = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            foreach (var box in entries[i].Boxes)
            {
                json.WriteStartObject();
                json.WriteNumber("id", ++annotation);
                json.WriteNumber("image_id", i + 1);
                json.WriteNumber("category_id", categories[box.Label]);
                json.WriteStartArray("bbox");
                json.WriteNumberValue(box.Left);
                json.WriteNumberValue(box.Top);
                json.WriteNumberValue(box.Width);
                json.WriteNumberValue(box.Height);
                json.WriteEndArray();
                json.WriteNumber("area", (long)box.Width * box.Height);
                json.WriteNumber("iscrowd", 0);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteStartArray("categories");
        foreach (var (name, id) in categories)
        {
            json.WriteStartObject();
            json.WriteNumber("id", id);
            json.WriteString("name", name);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
