using System.Globalization;
using Rekognition.Core.Model;

namespace Rekognition.Core.Conversion;

/// <summary>
/// Reads the <c>names</c> of a YOLO dataset YAML: the map form (<c>names:</c> then <c>  0: person</c> lines),
/// the block list form (<c>- person</c> lines, ids by position) and the inline list form (<c>names: [a, b]</c>).
/// Only that key is read; this is not a YAML parser.
/// </summary>
internal static class YoloClassNames
{
    public static Dictionary<int, string> Parse(TextReader reader, string source)
    {
        var names = new Dictionary<int, string>();
        var inNames = false;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var content = StripComment(line);
            if (content.Trim().Length == 0)
            {
                continue;
            }

            var indented = char.IsWhiteSpace(content[0]) || content.TrimStart().StartsWith('-');
            if (!inNames)
            {
                if (!content.StartsWith("names:", StringComparison.Ordinal))
                {
                    continue;
                }

                var rest = content["names:".Length..].Trim();
                if (rest.StartsWith('['))
                {
                    var items = rest.Trim('[', ']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                    for (var i = 0; i < items.Length; i++)
                    {
                        names[i] = Unquote(items[i]);
                    }

                    return names;
                }

                inNames = true;
                continue;
            }

            if (!indented)
            {
                break;
            }

            var item = content.Trim();
            if (item.StartsWith('-'))
            {
                names[names.Count] = Unquote(item[1..].Trim());
                continue;
            }

            var colon = item.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !int.TryParse(item.AsSpan(0, colon), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
            {
                throw new InvalidParameterException($"{source}: '{line.Trim()}' under 'names' is not '<id>: <name>'.");
            }

            names[id] = Unquote(item[(colon + 1)..].Trim());
        }

        if (names.Count == 0)
        {
            throw new InvalidParameterException($"{source} has no 'names' list of classes.");
        }

        return names;
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf(" #", StringComparison.Ordinal);
        return line.StartsWith('#') ? string.Empty : hash >= 0 ? line[..hash] : line;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '\'' || value[0] == '"') && value[^1] == value[0] ? value[1..^1] : value;
}
