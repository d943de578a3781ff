using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Rekognition.Core.Manifests;
using Rekognition.Core.Model;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Conversion;

/// <summary>
/// Converts the output of a SageMaker Ground Truth multi-label image classification job into the
/// Custom Labels multi-label form. The job attribute is the last top-level key naming neither
/// <c>source-ref</c> nor <c>-metadata</c>; its list of label ids becomes one attribute pair per label,
/// <c>&lt;job&gt;{i}</c> = i with <c>class-name</c> and <c>confidence</c> from the job's <c>class-map</c> and
/// <c>confidence-map</c>, and <c>job-name</c>, <c>human-annotated</c>, <c>creation-date</c> copied unchanged.
/// </summary>
public static class SageMakerMultiLabelConverter
{
    /// <summary>The file name the reference script gives the output: <c>custom_labels_&lt;input name&gt;</c> beside the input.</summary>
    public static string DefaultOutputPath(string inputPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputPath);
        var full = Path.GetFullPath(inputPath);
        return Path.Combine(Path.GetDirectoryName(full)!, "custom_labels_" + Path.GetFileName(full));
    }

    /// <summary>Converts the job output at <paramref name="inputPath"/> into <paramref name="manifestPath"/> (default <see cref="DefaultOutputPath"/>).</summary>
    /// <exception cref="InvalidParameterException">A line is not multi-label job output; the message names the line.</exception>
    public static ManifestConversionResult ConvertFile(string inputPath, string? manifestPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputPath);
        if (!File.Exists(inputPath))
        {
            throw new InvalidParameterException($"The manifest '{inputPath}' does not exist.");
        }

        using var input = new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        return AtomicFile.Write(manifestPath ?? DefaultOutputPath(inputPath), output => Convert(input, output, Path.GetFileName(inputPath), cancellationToken));
    }

    /// <summary>Converts job output lines from <paramref name="input"/> into manifest lines on <paramref name="manifest"/> (left open).</summary>
    /// <exception cref="InvalidParameterException">A line is not multi-label job output; the message names the line.</exception>
    public static ManifestConversionResult Convert(Stream input, Stream manifest, string? sourceName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(manifest);
        var source = $"manifest '{sourceName ?? "(stream)"}'";
        var tally = new ConversionTally();
        var labels = new List<ImageLabel>();
        using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        using var writer = new GroundTruthManifestWriter(manifest, leaveOpen: true);
        var lineNumber = 0;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            lineNumber++;
            cancellationToken.ThrowIfCancellationRequested();
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var where = $"{source}, line {lineNumber}";
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw new InvalidParameterException($"{where} is not valid JSON: {e.Message}", e);
            }

            using (document)
            {
                var sourceRef = ConvertLine(document.RootElement, where, labels);
                writer.WriteClassification(sourceRef, CollectionsMarshal.AsSpan(labels));
                tally.Line(labelled: labels.Count > 0);
                foreach (var label in labels)
                {
                    tally.ImageLabel(label.ClassName);
                }
            }
        }

        writer.Flush();
        if (tally.Images == 0)
        {
            throw new InvalidParameterException($"The {source} is empty; it needs one JSON line per image.");
        }

        if (tally.UnlabelledImages > 0)
        {
            tally.Warnings.Add($"{tally.UnlabelledImages} line(s) have an empty label list; they are written as unlabelled images.");
        }

        return tally.ToResult();
    }

    private static string ConvertLine(JsonElement line, string where, List<ImageLabel> labels)
    {
        labels.Clear();
        if (line.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidParameterException($"{where} is not a JSON object.");
        }

        if (!line.TryGetProperty("source-ref", out var sourceRefElement) || sourceRefElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(sourceRefElement.GetString()))
        {
            throw new InvalidParameterException($"{where} has no 'source-ref' string.");
        }

        string? job = null;
        foreach (var property in line.EnumerateObject())
        {
            if (!property.Name.Contains("source-ref", StringComparison.Ordinal) && !property.Name.Contains("-metadata", StringComparison.Ordinal))
            {
                job = property.Name;
            }
        }

        if (job is null)
        {
            throw new InvalidParameterException($"{where} has no job attribute (a key other than 'source-ref' and '*-metadata').");
        }

        var ids = line.GetProperty(job);
        if (ids.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidParameterException($"{where}: '{job}' is {ids.GetRawText()}, not a list of label ids; this is not multi-label job output.");
        }

        if (!line.TryGetProperty(job + "-metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidParameterException($"{where} has no '{job}-metadata' object.");
        }

        var classMap = RequiredObject(metadata, "class-map", job, where);
        var confidenceMap = RequiredObject(metadata, "confidence-map", job, where);
        var jobName = OptionalString(metadata, "job-name", job, where);
        var humanAnnotated = OptionalString(metadata, "human-annotated", job, where) switch
        {
            null or "yes" => true,
            "no" => false,
            var other => throw new InvalidParameterException($"{where}: '{job}-metadata' has human-annotated '{other}'; it must be 'yes' or 'no'."),
        };
        var creationDate = OptionalString(metadata, "creation-date", job, where)
            ?? throw new InvalidParameterException($"{where}: '{job}-metadata' has no creation-date.");

        var index = 0;
        Span<char> key = stackalloc char[20];
        foreach (var id in ids.EnumerateArray())
        {
            if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var labelId))
            {
                throw new InvalidParameterException($"{where}: '{job}'[{index}] is {id.GetRawText()}; label ids must be integers.");
            }

            labelId.TryFormat(key, out var length, default, CultureInfo.InvariantCulture);
            var name = key[..length].ToString();
            if (!classMap.TryGetProperty(name, out var className) || className.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(className.GetString()))
            {
                throw new InvalidParameterException($"{where}: label id {labelId} has no name in '{job}-metadata' class-map.");
            }

            if (!confidenceMap.TryGetProperty(name, out var confidence) || confidence.ValueKind != JsonValueKind.Number
                || confidence.GetDouble() is < 0 or > 1)
            {
                throw new InvalidParameterException($"{where}: label id {labelId} needs a confidence between 0 and 1 in '{job}-metadata' confidence-map.");
            }

            labels.Add(new ImageLabel(job + index.ToString(CultureInfo.InvariantCulture), className.GetString()!, ManifestTimestamp.Verbatim(creationDate))
            {
                AttributeValue = index,
                Confidence = confidence.GetDouble(),
                JobName = jobName,
                HumanAnnotated = humanAnnotated,
            });
            index++;
        }

        return sourceRefElement.GetString()!;
    }

    private static JsonElement RequiredObject(JsonElement metadata, string name, string job, string where)
    {
        if (!metadata.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidParameterException($"{where}: '{job}-metadata' has no '{name}' object.");
        }

        return value;
    }

    private static string? OptionalString(JsonElement metadata, string name, string job, string where)
    {
        if (!metadata.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidParameterException($"{where}: '{job}-metadata' has {name} = {value.GetRawText()}; it must be a string.");
    }
}
