using System.Runtime.InteropServices;
using System.Text;
using Rekognition.Core.Manifests;
using Rekognition.Core.Model;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Conversion;

/// <summary>
/// Converts a classification CSV (no header; column 1 the image file name or full path, columns 2..n its
/// labels) into a Ground Truth manifest. Each label becomes its own attribute pair named after the label
/// (<c>"camellia": 1</c>, <c>"camellia-metadata"</c>), so rows with several labels make multi-label lines.
/// Images listed on more than one row are reported instead of converted, as the service's reference script does.
/// </summary>
public sealed class CsvManifestConverter
{
    private const int MaxLabelNameLength = 256;
    private readonly CsvConversionOptions _options;

    /// <summary>Creates a converter with the given settings (defaults when null).</summary>
    public CsvManifestConverter(CsvConversionOptions? options = null)
    {
        _options = options ?? new CsvConversionOptions();
    }

    /// <summary>
    /// Converts <paramref name="csvPath"/>. The manifest goes to <paramref name="manifestPath"/> (default
    /// <c>&lt;name&gt;.manifest</c> beside the CSV). When images repeat, <c>&lt;name&gt;-duplicates.csv</c> and
    /// <c>&lt;name&gt;-deduplicated.csv</c> are written beside the manifest for review and no manifest is
    /// written (unless <see cref="CsvConversionOptions.WriteManifestWhenDuplicates"/>); when none repeat, stale
    /// files of those names are removed.
    /// </summary>
    /// <exception cref="InvalidParameterException">The CSV cannot be converted; the message names the row.</exception>
    public CsvConversionResult ConvertFile(string csvPath, string? manifestPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(csvPath);
        if (!File.Exists(csvPath))
        {
            throw new InvalidParameterException($"The CSV file '{csvPath}' does not exist.");
        }

        var baseName = Path.GetFileNameWithoutExtension(csvPath);
        manifestPath ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(csvPath))!, baseName + ".manifest");
        var sideDirectory = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var duplicatesPath = Path.Combine(sideDirectory, baseName + "-duplicates.csv");
        var deduplicatedPath = Path.Combine(sideDirectory, baseName + "-deduplicated.csv");

        List<CsvRow> rows;
        using (var reader = new StreamReader(csvPath, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            rows = CsvRecords.ReadAll(reader, $"CSV file '{Path.GetFileName(csvPath)}'");
        }

        var plan = Plan(rows, Path.GetFileName(csvPath));
        CsvConversionResult result;
        if (plan.Duplicates.Count > 0 && !_options.WriteManifestWhenDuplicates)
        {
            result = Finish(plan, null, cancellationToken);
        }
        else
        {
            result = AtomicFile.Write(manifestPath, stream => Finish(plan, stream, cancellationToken));
        }

        if (plan.Duplicates.Count == 0)
        {
            File.Delete(duplicatesPath);
            File.Delete(deduplicatedPath);
            return result;
        }

        WriteRows(duplicatesPath, plan.Duplicates);
        WriteRows(deduplicatedPath, plan.Firsts);
        return result with { DuplicatesFile = duplicatesPath, DeduplicatedFile = deduplicatedPath };
    }

    /// <summary>
    /// Reads the CSV from <paramref name="csv"/> and, when no image repeats (or
    /// <see cref="CsvConversionOptions.WriteManifestWhenDuplicates"/> is set), writes the manifest to
    /// <paramref name="manifest"/> (left open). The result lists duplicates and first occurrences either way.
    /// </summary>
    /// <exception cref="InvalidParameterException">The CSV cannot be converted; the message names the row.</exception>
    public CsvConversionResult Convert(Stream csv, Stream manifest, string? sourceName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(manifest);
        List<CsvRow> rows;
        using (var reader = new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true))
        {
            rows = CsvRecords.ReadAll(reader, $"CSV file '{sourceName ?? "(stream)"}'");
        }

        var plan = Plan(rows, sourceName ?? "(stream)");
        var write = plan.Duplicates.Count == 0 || _options.WriteManifestWhenDuplicates;
        return Finish(plan, write ? manifest : null, cancellationToken);
    }

    private sealed record ConversionPlan(List<CsvRow> Firsts, List<CsvRow> Duplicates, string[] SourceRefs, List<string>[] Labels, List<string> Warnings);

    // Every row is checked and every source-ref built before a byte is written.
    private ConversionPlan Plan(List<CsvRow> rows, string sourceName)
    {
        var source = $"CSV file '{sourceName}'";
        if (rows.Count == 0)
        {
            throw new InvalidParameterException($"{source} has no rows; each row needs an image name and at least one label.");
        }

        var builder = new SourceRefBuilder(_options.BucketsRoot);
        var firstIsS3 = SourceRefBuilder.IsS3(rows[0].Image);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var firsts = new List<CsvRow>();
        var duplicates = new List<CsvRow>();
        var warnings = new List<string>();
        var repeatedLabels = 0;
        var withoutLabels = new List<int>();
        var refs = new List<string>();
        var labels = new List<List<string>>();
        foreach (var row in rows)
        {
            var where = $"{source}, row {row.RowNumber}";
            if (row.Image.Length == 0)
            {
                throw new InvalidParameterException($"{where} has labels but no image in column 1.");
            }

            if (SourceRefBuilder.IsS3(row.Image) != firstIsS3)
            {
                throw new InvalidParameterException($"{where} ('{row.Image}') {(firstIsS3 ? "is not" : "is")} an s3:// path but row {rows[0].RowNumber} {(firstIsS3 ? "is" : "is not")}; a CSV file must not mix rows with and without S3 paths.");
            }

            var rowLabels = new List<string>(row.Fields.Count - 1);
            for (var column = 1; column < row.Fields.Count; column++)
            {
                var label = row.Fields[column];
                if (label.Length == 0)
                {
                    continue;
                }

                CheckLabel(label, $"{where}, column {column + 1}");
                if (rowLabels.Contains(label))
                {
                    repeatedLabels++;
                    continue;
                }

                rowLabels.Add(label);
            }

            if (!seen.Add(row.Image))
            {
                duplicates.Add(row);
                continue;
            }

            if (rowLabels.Count == 0)
            {
                withoutLabels.Add(row.RowNumber);
            }

            firsts.Add(row);
            refs.Add(SourceRef(row.Image, builder, where));
            labels.Add(rowLabels);
        }

        if (repeatedLabels > 0)
        {
            warnings.Add($"{repeatedLabels} label(s) repeated within a row were written once.");
        }

        if (withoutLabels.Count > 0)
        {
            warnings.Add($"{withoutLabels.Count} row(s) have no label (rows {string.Join(", ", withoutLabels.Take(10))}{(withoutLabels.Count > 10 ? ", ..." : "")}); they are written as unlabelled images.");
        }

        if (duplicates.Count > 0)
        {
            warnings.Add($"{duplicates.Count} row(s) repeat an image of an earlier row (first at row {duplicates[0].RowNumber}: '{duplicates[0].Image}'); "
                + (_options.WriteManifestWhenDuplicates ? "only the first row of each image was written." : "no manifest was written: fix the deduplicated rows and convert them again."));
        }

        return new ConversionPlan(firsts, duplicates, refs.ToArray(), labels.ToArray(), warnings);
    }

    private CsvConversionResult Finish(ConversionPlan plan, Stream? manifest, CancellationToken cancellationToken)
    {
        var tally = new ConversionTally();
        tally.Warnings.AddRange(plan.Warnings);
        if (manifest is not null)
        {
            var date = new ManifestTimestamp(_options.CreationDate ?? DateTime.UtcNow);
            var templates = new Dictionary<string, ImageLabel>(StringComparer.Ordinal);
            var lineLabels = new List<ImageLabel>();
            using var writer = new GroundTruthManifestWriter(manifest, leaveOpen: true);
            for (var i = 0; i < plan.SourceRefs.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                lineLabels.Clear();
                foreach (var label in plan.Labels[i])
                {
                    if (!templates.TryGetValue(label, out var template))
                    {
                        template = new ImageLabel(label, label, date) { AttributeValue = 1, JobName = _options.JobNamePrefix + label };
                        templates[label] = template;
                    }

                    lineLabels.Add(template);
                    tally.ImageLabel(label);
                }

                writer.WriteClassification(plan.SourceRefs[i], CollectionsMarshal.AsSpan(lineLabels));
                tally.Line(labelled: lineLabels.Count > 0);
            }

            writer.Flush();
        }

        return new CsvConversionResult(tally.ToResult())
        {
            ManifestWritten = manifest is not null,
            Duplicates = plan.Duplicates,
            DeduplicatedRows = plan.Firsts,
        };
    }

    private string SourceRef(string image, SourceRefBuilder builder, string where)
    {
        if (SourceRefBuilder.IsAbsolute(image))
        {
            return builder.FromAbsolute(image);
        }

        if (string.IsNullOrWhiteSpace(_options.ImagePrefix))
        {
            throw new InvalidParameterException($"{where}: '{image}' is a file name, not a full path; set ImagePrefix to the s3:// prefix or folder that holds the images.");
        }

        return builder.Join(_options.ImagePrefix, image);
    }

    private static void CheckLabel(string label, string where)
    {
        if (string.Equals(label, "source-ref", StringComparison.Ordinal) || label.EndsWith("-metadata", StringComparison.Ordinal))
        {
            throw new InvalidParameterException($"{where}: the label '{label}' cannot be used, because labels become attribute names: it must not be 'source-ref' or end in '-metadata'.");
        }

        if (label.Length > MaxLabelNameLength)
        {
            throw new InvalidParameterException($"{where}: the label '{label[..32]}...' has {label.Length} characters; at most {MaxLabelNameLength} are allowed.");
        }
    }

    private static void WriteRows(string path, IEnumerable<CsvRow> rows)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
            CsvRecords.WriteAll(writer, rows);
        });
    }
}
