namespace Rekognition.Core.Validation;

/// <summary>
/// Counts what a manifest holds as its validated lines go by, so the manifest-level rules (empty file,
/// line limit, the cumulative 20 % rule, label count) can be checked without keeping the lines.
/// </summary>
internal sealed class ManifestTally
{
    private readonly ManifestLimits _limits;
    private readonly HashSet<string> _labels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _imageLevelLabels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _boundingBoxLabels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _buckets = new(StringComparer.Ordinal);
    private readonly List<int> _errorLineNumbers = new();

    /// <summary>Creates an empty tally that applies <paramref name="limits"/>.</summary>
    public ManifestTally(ManifestLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
    }

    /// <summary>Lines read (every line counts, blank and invalid ones included).</summary>
    public int TotalLines { get; private set; }

    /// <summary>Lines usable for training.</summary>
    public int ValidLines { get; private set; }

    /// <summary>Lines not usable because of errors (<see cref="LineOutcome.Invalid"/> and <see cref="LineOutcome.Dropped"/>).</summary>
    public int InvalidLines { get; private set; }

    /// <summary>Lines with warnings only: not used, not counted invalid.</summary>
    public int IgnoredLines { get; private set; }

    /// <summary>Lines with a terminal content error at dataset time (not stored).</summary>
    public int DroppedLines { get; private set; }

    /// <summary>Valid lines with at least one image-level label.</summary>
    public int ImageLevelLines { get; private set; }

    /// <summary>Valid lines with at least one valid bounding box.</summary>
    public int ObjectLocalizationLines { get; private set; }

    /// <summary>Distinct labels of the valid lines (image-level and box labels).</summary>
    public IReadOnlyCollection<string> Labels => _labels;

    /// <summary>Distinct image-level labels of the valid lines.</summary>
    public IReadOnlyCollection<string> ImageLevelLabels => _imageLevelLabels;

    /// <summary>Distinct bounding-box labels of the valid lines.</summary>
    public IReadOnlyCollection<string> BoundingBoxLabels => _boundingBoxLabels;

    /// <summary>The buckets (or allowed roots) that the lines' images lie in.</summary>
    public IReadOnlyCollection<string> Buckets => _buckets;

    /// <summary>1-based numbers of the lines that have at least one error.</summary>
    public IReadOnlyList<int> ErrorLineNumbers => _errorLineNumbers;

    /// <summary>The terminal file error met while reading (size, line count), if any.</summary>
    public ManifestFileError? FileError { get; private set; }

    /// <summary>Counts one validated line (or records the file error it carries).</summary>
    public void Add(ValidatedLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.FileError is not null)
        {
            FileError ??= line.FileError;
            return;
        }

        TotalLines++;
        switch (line.Outcome)
        {
            case LineOutcome.Valid:
                ValidLines++;
                break;
            case LineOutcome.Ignored:
                IgnoredLines++;
                break;
            case LineOutcome.Invalid:
                InvalidLines++;
                break;
            case LineOutcome.Dropped:
                InvalidLines++;
                DroppedLines++;
                break;
        }

        if (line.HasErrors)
        {
            _errorLineNumbers.Add(line.LineNumber);
        }

        if (line.Outcome == LineOutcome.Dropped)
        {
            return;
        }

        if (line.Bucket is not null)
        {
            _buckets.Add(line.Bucket);
        }

        if (line.UseCase is LineUseCase.ImageLevel or LineUseCase.Both)
        {
            ImageLevelLines++;
        }

        if (line.UseCase is LineUseCase.ObjectLocalization or LineUseCase.Both)
        {
            ObjectLocalizationLines++;
        }

        foreach (var label in line.Labels)
        {
            _labels.Add(label.Name);
            (label.OnBoundingBox ? _boundingBoxLabels : _imageLevelLabels).Add(label.Name);
        }
    }

    /// <summary>
    /// Whether <paramref name="invalid"/> lines exceed the allowed share. The share is taken of the lines
    /// that are not ignored, since warning-only lines do not count (datasets.md §6.3); exactly 20 % passes.
    /// </summary>
    public bool ExceedsInvalidShare(int invalid)
    {
        var counted = TotalLines - IgnoredLines;
        return counted > 0 && invalid > _limits.MaxInvalidLineFraction * counted;
    }

    /// <summary>The training-time terminal manifest file error (a limit met while reading, or an empty manifest), or null.</summary>
    public ManifestFileError? CheckFileErrorForTraining() =>
        FileError ?? (TotalLines == 0 ? ManifestFileError.Of(ValidationCodes.ManifestEmpty, "Add one JSON line per image.") : null);

    /// <summary>
    /// The dataset-time terminal file error once every line was added, or null: a limit met while reading,
    /// an empty manifest, too many dropped lines (<c>ERROR_TOO_MANY_RECORDS_IN_ERROR</c>; at dataset time
    /// only terminal content errors count, lines with other errors are stored), or too many labels.
    /// </summary>
    public ManifestFileError? CheckAfterAllLines()
    {
        if (FileError is not null)
        {
            return FileError;
        }

        if (TotalLines == 0)
        {
            return ManifestFileError.Of(ValidationCodes.ManifestEmpty, "Add one JSON line per image.");
        }

        if (ExceedsInvalidShare(DroppedLines))
        {
            return ManifestFileError.Of(ValidationCodes.TooManyRecordsInError,
                $"{DroppedLines} of {TotalLines} lines cannot be read (bad JSON, missing or malformed source-ref, too long, or a repeated source-ref); at most {_limits.MaxInvalidLineFraction:P0} may be.");
        }

        if (_labels.Count > _limits.MaxLabels)
        {
            return ManifestFileError.Of(ValidationCodes.ManifestTooManyLabels, $"The manifest has {_labels.Count} labels; at most {_limits.MaxLabels} are allowed.");
        }

        return null;
    }
}
