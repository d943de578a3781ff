using System.Text;
using Rekognition.Core.Model;

namespace Rekognition.Core.Conversion;

/// <summary>
/// Reads and writes comma-separated records: fields in double quotes may hold commas, line breaks and
/// doubled quotes (<c>""</c>); fields are trimmed of surrounding white space.
/// </summary>
internal static class CsvRecords
{
    /// <summary>Reads every record; blank lines give no record.</summary>
    public static List<CsvRow> ReadAll(TextReader reader, string source)
    {
        var rows = new List<CsvRow>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            var startLine = lineNumber;
            fields.Clear();
            field.Clear();
            var inQuotes = false;
            while (true)
            {
                for (var i = 0; i < line.Length; i++)
                {
                    var c = line[i];
                    if (inQuotes)
                    {
                        if (c != '"')
                        {
                            field.Append(c);
                        }
                        else if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i++;
                        }
                        else
                        {
                            inQuotes = false;
                        }
                    }
                    else if (c == ',')
                    {
                        fields.Add(field.ToString().Trim());
                        field.Clear();
                    }
                    else if (c == '"' && field.ToString().Trim().Length == 0)
                    {
                        field.Clear();
                        inQuotes = true;
                    }
                    else
                    {
                        field.Append(c);
                    }
                }

                if (!inQuotes)
                {
                    break;
                }

                // A quoted field runs on over the line break.
                line = reader.ReadLine();
                if (line is null)
                {
                    throw new InvalidParameterException($"{source}, row {startLine}: a quoted field is never closed; add the closing '\"'.");
                }

                lineNumber++;
                field.Append('\n');
            }

            fields.Add(field.ToString().Trim());
            if (fields.TrueForAll(f => f.Length == 0))
            {
                continue;
            }

            rows.Add(new CsvRow(startLine, fields.ToArray()));
        }

        return rows;
    }

    /// <summary>Writes rows back as CSV, quoting only the fields that need it; LF line ends.</summary>
    public static void WriteAll(TextWriter writer, IEnumerable<CsvRow> rows)
    {
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Fields.Count; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }

                var value = row.Fields[i];
                if (value.AsSpan().IndexOfAny(",\"\n\r") >= 0)
                {
                    writer.Write('"');
                    writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
                    writer.Write('"');
                }
                else
                {
                    writer.Write(value);
                }
            }

            writer.Write('\n');
        }
    }
}
