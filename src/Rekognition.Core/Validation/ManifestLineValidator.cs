using Rekognition.Core.Images;
using Rekognition.Core.Manifests;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Validation;

/// <summary>
/// Validates Ground Truth manifest lines with the service's rules and codes (datasets.md §6–§7), streaming:
/// one <see cref="ValidatedLine"/> per input line, in order. Used by dataset import and by training.
/// </summary>
/// <remarks>
/// Rules the guide leaves open, as decided here:
/// <list type="bullet">
/// <item>A line longer than the limit, and a line that is not UTF-8, get <c>ERROR_INVALID_JSON_LINE</c> (with the reason) and are dropped.</item>
/// <item>A line holding only <c>source-ref</c> is an unlabelled image (<c>WARNING_UNANNOTATED_RECORD</c>, ignored), as console uploads are;
/// a line with other keys but no attribute/metadata pair gets <c>ERROR_NO_LABEL_ATTRIBUTES</c>.</item>
/// <item>A box attribute with no boxes and <c>human-annotated: "no"</c> is not an error: nobody labelled the image, so
/// the line, if it has no other label, is an unlabelled image (<c>WARNING_UNANNOTATED_RECORD</c>) rather than <c>WARNING_NO_ANNOTATIONS</c>.</item>
/// <item>More than 50 distinct labels on one image: the attribute that brings the 51st label gets
/// <c>ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT</c> (the service has no dedicated code; the limit is a rule on the image's
/// label attributes, and dropping that attribute is the fix), so the image keeps its first 50 labels.</item>
/// <item>A box is too small when either side, scaled so that the image's longer side is at most 1280 px, is not more than 1 px.</item>
/// <item>A <c>source-ref</c> outside the allowed roots is an object that cannot be accessed: <c>ERROR_INVALID_IMAGE</c>, even with image checks off.</item>
/// <item>Image sides of 64..4096 px, a ratio of the longer to the shorter side up to 20, and 15 MB are valid (bounds inclusive).</item>
/// <item>Duplicate <c>source-ref</c>: the first line wins; later ones are dropped with the local code <c>ERROR_DUPLICATE_SOURCE_REF</c>.</item>
/// </list>
/// The class is thread-safe; each <see cref="Validate"/> enumeration uses its own parser.
/// </remarks>
internal sealed class ManifestLineValidator
{
    private readonly ManifestLimits _limits;
    private readonly SourceRefResolver _resolver;
    private readonly bool _checkImages;
    private readonly bool _collectBoxes;
    private LineChecker? _spareChecker;

    /// <summary>Creates a validator.</summary>
    /// <param name="limits">The service limits to apply.</param>
    /// <param name="resolver">Maps <c>source-ref</c> values to local files.</param>
    /// <param name="checkImages">Whether image headers are read (format, size, dimensions are otherwise not checked).</param>
    public ManifestLineValidator(ManifestLimits limits, SourceRefResolver resolver, bool checkImages)
        : this(limits, resolver, checkImages, collectBoxes: false)
    {
    }

    /// <summary>A validator whose valid lines also carry their valid boxes (<see cref="ValidatedLine.ValidBoxes"/>).</summary>
    internal ManifestLineValidator(ManifestLimits limits, SourceRefResolver resolver, bool checkImages, bool collectBoxes)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(resolver);
        _limits = limits;
        _resolver = resolver;
        _checkImages = checkImages;
        _collectBoxes = collectBoxes;
    }

    /// <summary>
    /// Streams <paramref name="manifest"/> and yields one result per line, in order. Later lines repeating
    /// an earlier <c>source-ref</c> are <see cref="LineOutcome.Dropped"/>. When the manifest as a whole is
    /// over a limit (size, line count) one last item with <see cref="ValidatedLine.FileError"/> set is
    /// yielded and reading stops; lines are validated only up to the line limit.
    /// </summary>
    /// <param name="manifest">The manifest bytes (UTF-8 JSON Lines).</param>
    /// <param name="baseDirectory">The manifest's folder, against which relative <c>source-ref</c> paths resolve.</param>
    /// <param name="ct">Stops the enumeration.</param>
    public IEnumerable<ValidatedLine> Validate(Stream manifest, string? baseDirectory, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return ValidateCore(manifest, baseDirectory, borrowLines: false, ct);
    }

    /// <summary>
    /// As <see cref="Validate"/>, for a caller that is done with each line before it asks for the next (an import
    /// writing lines away): a line kept as written is not copied, its <see cref="ValidatedLine.Json"/> is a view of
    /// the read buffer that the next line overwrites.
    /// </summary>
    internal IEnumerable<ValidatedLine> ValidateEachOnce(Stream manifest, string? baseDirectory, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return ValidateCore(manifest, baseDirectory, borrowLines: true, ct);
    }

    /// <summary>Validates one line (no duplicate tracking), e.g. a line of an <c>UpdateDatasetEntries</c> change.</summary>
    public ValidatedLine ValidateLine(ReadOnlySpan<byte> utf8Line, int lineNumber, string? baseDirectory)
    {
        var checker = Interlocked.Exchange(ref _spareChecker, null) ?? new LineChecker(_limits, _resolver, _checkImages, _collectBoxes);
        try
        {
            return checker.Check(utf8Line, tooLong: false, utf8Line.Length, lineNumber, baseDirectory);
        }
        finally
        {
            _spareChecker = checker;
        }
    }

    private IEnumerable<ValidatedLine> ValidateCore(Stream manifest, string? baseDirectory, bool borrowLines, CancellationToken ct)
    {
        if (manifest.CanSeek && manifest.Length - manifest.Position > _limits.MaxManifestBytes)
        {
            yield return FileErrorMarker(0, ManifestFileError.Of(ValidationCodes.ManifestSizeTooLarge, SizeDetail(manifest.Length - manifest.Position)));
            yield break;
        }

        var checker = new LineChecker(_limits, _resolver, _checkImages, _collectBoxes);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // A UTF-16 character takes at most 3 UTF-8 bytes, so a longer line is too long whatever it holds.
        var maxLineBytes = _limits.MaxLineBytes;
        using var reader = new ManifestLineReader(manifest, maxLineBytes);
        while (reader.ReadNext())
        {
            ct.ThrowIfCancellationRequested();
            if (reader.LineNumber > _limits.MaxManifestLines)
            {
                yield return FileErrorMarker(reader.LineNumber, ManifestFileError.Of(ValidationCodes.ManifestRowsExceedsMaximum,
                    $"The manifest has more than {_limits.MaxManifestLines:N0} lines; split it or remove lines."));
                yield break;
            }

            if (reader.BytesRead > _limits.MaxManifestBytes)
            {
                yield return FileErrorMarker(reader.LineNumber, ManifestFileError.Of(ValidationCodes.ManifestSizeTooLarge, SizeDetail(reader.BytesRead)));
                yield break;
            }

            var line = checker.Check(reader.Current, reader.IsTooLong, reader.LineByteLength, reader.LineNumber, baseDirectory,
                borrowLines ? reader.CurrentMemory : default);
            if (line.SourceRef is not null && line.Outcome != LineOutcome.Dropped && !seen.Add(line.SourceRef))
            {
                line = LineChecker.AsDuplicate(line);
            }

            yield return line;
        }
    }

    private string SizeDetail(long bytes) =>
        $"The manifest has {bytes:N0} bytes or more; the limit is {_limits.MaxManifestBytes:N0} bytes. Split the data into smaller manifests.";

    private static ValidatedLine FileErrorMarker(int lineNumber, ManifestFileError error) =>
        new(lineNumber, null, null, LineOutcome.Dropped, LineUseCase.None, ReadOnlyMemory<byte>.Empty, [], 0, [], error);
}
