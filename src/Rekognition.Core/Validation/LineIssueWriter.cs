using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rekognition.Core.Manifests;

namespace Rekognition.Core.Validation;

/// <summary>
/// Writes a line's errors and warnings into the line where the service puts them (datasets.md §7.8):
/// the line, a label attribute object, its metadata object, or one annotation. Only lines with issues
/// (or with service keys to strip) come here, so a DOM is affordable.
/// </summary>
internal static class LineIssueWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private static readonly string[] ServiceKeys = ["errors", "warnings", "cl-errors", "cl-metadata"];

    /// <summary>A line holding only <paramref name="issue"/> (what replaces a line that is not JSON).</summary>
    public static byte[] ErrorOnlyLine(ValidationIssue issue)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("errors"u8);
            writer.WriteStartArray();
            WriteIssue(writer, issue);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// <paramref name="line"/> (a JSON object) with the service keys found in it removed and
    /// <paramref name="issues"/> inserted; null when the line cannot be rebuilt as a DOM.
    /// </summary>
    public static byte[]? Annotate(ReadOnlySpan<byte> line, IReadOnlyList<ValidationIssue> issues)
    {
        JsonObject root;
        try
        {
            if (JsonNode.Parse(line, documentOptions: DocumentOptions) is not JsonObject parsed)
            {
                return null;
            }

            root = parsed;
            StripServiceKeys(root);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            // Duplicate keys inside nested objects, for instance: the DOM refuses them.
            return null;
        }

        foreach (var issue in issues)
        {
            var target = TargetOf(root, issue) ?? root;
            var arrayName = issue.IsWarning ? "warnings" : "errors";
            if (target[arrayName] is not JsonArray array)
            {
                array = new JsonArray();
                target[arrayName] = array;
            }

            array.Add(new JsonObject { ["code"] = issue.Code, ["message"] = issue.Message });
        }

        var buffer = new ArrayBufferWriter<byte>(line.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            root.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static JsonObject? TargetOf(JsonObject root, ValidationIssue issue)
    {
        if (issue.AttributeName is null)
        {
            return null;
        }

        return issue.Scope switch
        {
            IssueScope.Attribute => root[issue.AttributeName] as JsonObject,
            IssueScope.Metadata => root[issue.AttributeName + GroundTruthLineParser.MetadataSuffix] as JsonObject,
            IssueScope.Annotation => (root[issue.AttributeName] as JsonObject)?["annotations"] is JsonArray annotations
                && issue.AnnotationIndex >= 0 && issue.AnnotationIndex < annotations.Count
                    ? annotations[issue.AnnotationIndex] as JsonObject
                    : root[issue.AttributeName] as JsonObject,
            _ => null,
        };
    }

    private static void StripServiceKeys(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in ServiceKeys)
                {
                    obj.Remove(key);
                }

                foreach (var property in obj)
                {
                    StripServiceKeys(property.Value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    StripServiceKeys(item);
                }

                break;
        }
    }

    private static void WriteIssue(Utf8JsonWriter writer, ValidationIssue issue)
    {
        writer.WriteStartObject();
        writer.WriteString("code"u8, issue.Code);
        writer.WriteString("message"u8, issue.Message);
        writer.WriteEndObject();
    }
}
