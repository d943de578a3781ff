namespace Rekognition.Core.Validation;

/// <summary>The result of validating one manifest line.</summary>
internal sealed class ValidatedLine
{
    internal ValidatedLine(
        int lineNumber,
        string? sourceRef,
        string? bucket,
        LineOutcome outcome,
        LineUseCase useCase,
        ReadOnlyMemory<byte> json,
        IReadOnlyList<LabelUse> labels,
        int boundingBoxCount,
        IReadOnlyList<ValidationIssue> issues,
        ManifestFileError? fileError = null)
    {
        LineNumber = lineNumber;
        SourceRef = sourceRef;
        Bucket = bucket;
        Outcome = outcome;
        UseCase = useCase;
        Json = json;
        Labels = labels;
        BoundingBoxCount = boundingBoxCount;
        Issues = issues;
        FileError = fileError;
        foreach (var issue in issues)
        {
            if (!issue.IsWarning)
            {
                HasErrors = true;
                break;
            }
        }
    }

    /// <summary>
    /// The boxes that passed every box check, with their label and the line's <c>image_size</c>; filled only on
    /// <see cref="LineOutcome.Valid"/> lines of a validator created to collect them (the training reader's).
    /// </summary>
    internal IReadOnlyList<ValidBox> ValidBoxes { get; init; } = [];

    /// <summary>The 1-based line number in the input.</summary>
    public int LineNumber { get; }

    /// <summary>The <c>source-ref</c> value, when the line has one.</summary>
    public string? SourceRef { get; }

    /// <summary>The bucket (for <c>s3://</c>) or allowed root the image lies in, when <see cref="SourceRef"/> resolved.</summary>
    public string? Bucket { get; }

    /// <summary>What becomes of the line.</summary>
    public LineOutcome Outcome { get; }

    /// <summary>Which kinds of valid label attributes the line has.</summary>
    public LineUseCase UseCase { get; }

    /// <summary>
    /// The line as stored and listed: the input bytes (without BOM and CR) when nothing was added, else the
    /// line rewritten with the service's <c>errors</c>/<c>warnings</c> arrays where they belong. For
    /// <c>ERROR_INVALID_JSON_LINE</c>, a line holding only the error.
    /// </summary>
    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>Distinct labels of the valid parts of the line.</summary>
    public IReadOnlyList<LabelUse> Labels { get; }

    /// <summary>Whether the line has at least one valid label.</summary>
    public bool IsLabeled => Labels.Count > 0;

    /// <summary>Whether the line has at least one error anywhere (warnings do not count).</summary>
    public bool HasErrors { get; }

    /// <summary>The number of valid bounding boxes.</summary>
    public int BoundingBoxCount { get; }

    /// <summary>Every error and warning found.</summary>
    public IReadOnlyList<ValidationIssue> Issues { get; }

    /// <summary>
    /// Set on the one extra item <see cref="ManifestLineValidator.Validate"/> yields when the manifest as a
    /// whole fails (too large, too many lines); reading stops after it. Null on real lines.
    /// </summary>
    public ManifestFileError? FileError { get; }
}
