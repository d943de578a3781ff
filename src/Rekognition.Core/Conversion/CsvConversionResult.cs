namespace Rekognition.Core.Conversion;

/// <summary>The outcome of a CSV conversion: counts, plus the duplicate check.</summary>
public sealed record CsvConversionResult : ManifestConversionResult
{
    internal CsvConversionResult(ManifestConversionResult counts)
        : base(counts)
    {
    }

    /// <summary>Whether manifest lines were written (false when duplicates stopped the conversion).</summary>
    public bool ManifestWritten { get; init; }

    /// <summary>Rows whose image already appeared on an earlier row, in file order.</summary>
    public IReadOnlyList<CsvRow> Duplicates { get; init; } = Array.Empty<CsvRow>();

    /// <summary>The first row of every image, in file order: what to review, fix and convert again.</summary>
    public IReadOnlyList<CsvRow> DeduplicatedRows { get; init; } = Array.Empty<CsvRow>();

    /// <summary>The <c>-duplicates.csv</c> file written by <see cref="CsvManifestConverter.ConvertFile"/>, if any.</summary>
    public string? DuplicatesFile { get; init; }

    /// <summary>The <c>-deduplicated.csv</c> file written by <see cref="CsvManifestConverter.ConvertFile"/>, if any.</summary>
    public string? DeduplicatedFile { get; init; }

    /// <summary>Whether some images appear on more than one row.</summary>
    public bool HasDuplicates => Duplicates.Count > 0;
}
