using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Rekognition.Core.Images;
using Rekognition.Core.Manifests;
using Rekognition.Core.Storage;
using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Core.Validation;

/// <summary>
/// The per-line rules of <see cref="ManifestLineValidator"/>, in the order of datasets.md §6.6: JSON,
/// source-ref, attribute discovery, metadata, attribute schema, boxes, label names, image. One instance
/// per thread: it reuses its parser and scratch lists from line to line.
/// </summary>
internal sealed class LineChecker
{
    private const double EdgeTolerance = 1e-3;

    private readonly ManifestLimits _limits;
    private readonly SourceRefResolver _resolver;
    private readonly bool _checkImages;
    private readonly GroundTruthLineParser _parser = new();
    private readonly List<ValidationIssue> _issues = new();
    private readonly List<LabelUse> _labels = new();
    private readonly List<ValidBox>? _boxes;
    private int _distinctLabelNames;

    /// <param name="limits">The service limits.</param>
    /// <param name="resolver">Maps source-ref values to files.</param>
    /// <param name="checkImages">Whether image headers are read and checked.</param>
    /// <param name="collectBoxes">Whether valid lines carry their valid boxes (<see cref="ValidatedLine.ValidBoxes"/>), for training.</param>
    public LineChecker(ManifestLimits limits, SourceRefResolver resolver, bool checkImages, bool collectBoxes = false)
    {
        _limits = limits;
        _resolver = resolver;
        _checkImages = checkImages;
        _boxes = collectBoxes ? new List<ValidBox>() : null;
    }

    // borrowed: the same bytes as utf8 as memory, to be the result's Json when the line is kept as written (instead of a copy); default: copy.
    public ValidatedLine Check(ReadOnlySpan<byte> utf8, bool tooLong, long byteLength, int lineNumber, string? baseDirectory, ReadOnlyMemory<byte> borrowed = default)
    {
        if (tooLong || (utf8.Length > _limits.MaxLineCharacters && Encoding.UTF8.GetCharCount(utf8) > _limits.MaxLineCharacters))
        {
            return NotJson(lineNumber, string.Create(CultureInfo.InvariantCulture,
                $"The line is longer than {_limits.MaxLineCharacters:N0} characters ({byteLength:N0} bytes); describe one image per line and keep each line within the limit."));
        }

        if (!Utf8.IsValid(utf8))
        {
            return NotJson(lineNumber, "The line is not valid UTF-8 text; save the manifest as UTF-8.");
        }

        var line = _parser.Parse(utf8, out var jsonProblem);
        if (line is null)
        {
            return NotJson(lineNumber, utf8.Trim(" \t"u8).IsEmpty ? "The line is empty; remove blank lines." : $"Repair the JSON: {jsonProblem}");
        }

        _issues.Clear();
        _labels.Clear();
        _boxes?.Clear();
        _distinctLabelNames = 0;
        if (line.SourceRefPresence != SourceRefPresence.Present)
        {
            var missing = line.SourceRefPresence == SourceRefPresence.Missing;
            Add(missing ? ValidationCodes.MissingSourceRef : ValidationCodes.InvalidSourceRefFormat,
                missing ? "Add \"source-ref\": \"s3://bucket/path/image\" to the line." : "The source-ref value must be a string such as \"s3://bucket/path/image\".",
                IssueScope.Line);
            return Finish(utf8, borrowed, line, lineNumber, null, LineOutcome.Dropped, LineUseCase.None, 0);
        }

        var sourceRef = line.SourceRef!;
        var resolved = _resolver.Resolve(sourceRef, baseDirectory);
        if (resolved.Status == SourceRefStatus.InvalidFormat)
        {
            Add(ValidationCodes.InvalidSourceRefFormat, $"'{sourceRef}': {resolved.Reason}.", IssueScope.Line);
            return Finish(utf8, borrowed, line, lineNumber, null, LineOutcome.Dropped, LineUseCase.None, 0);
        }

        var bucket = resolved.Bucket;
        if (line.AttributeCount == 0)
        {
            if (line.OtherKeyCount == 0)
            {
                Add(ValidationCodes.UnannotatedRecord, null, IssueScope.Line);
                return Finish(utf8, borrowed, line, lineNumber, bucket, LineOutcome.Ignored, LineUseCase.None, 0);
            }

            Add(ValidationCodes.NoLabelAttributes, "Each label attribute needs its companion '<attribute>-metadata' object with the same name.", IssueScope.Line);
            return Finish(utf8, borrowed, line, lineNumber, bucket, LineOutcome.Invalid, LineUseCase.None, 0);
        }

        var state = new LineState();

        // The 50-box limit is per image: boxes of every well-formed box attribute of the line count together.
        for (var i = 0; i < line.AttributeCount; i++)
        {
            var attribute = line.AttributeAt(i);
            if (attribute.Kind == LabelAttributeKind.ObjectDetection && attribute.AttributeProblem is null && attribute.MetadataProblem is null)
            {
                state.LineBoxes += attribute.Annotations.Count;
            }
        }

        for (var i = 0; i < line.AttributeCount; i++)
        {
            var attribute = line.AttributeAt(i);
            if (attribute.Kind == LabelAttributeKind.ObjectDetection && attribute.AttributeProblem is null)
            {
                state.HasBoxAttribute = true;
            }

            CheckAttribute(attribute, ref state);
        }

        if (_labels.Count == 0)
        {
            if (state.SchemaFailures > 0)
            {
                Add(ValidationCodes.NoValidLabelAttributes, null, IssueScope.Line);
                state.LineInvalid = true;
            }
            else if (!state.HasErrors)
            {
                Add(state.EmptyHumanAnnotated > 0 ? ValidationCodes.NoAnnotations : ValidationCodes.UnannotatedRecord, null, IssueScope.Line);
            }
        }

        if (resolved.Status == SourceRefStatus.OutsideRoots)
        {
            Add(ValidationCodes.InvalidImage, $"The image at '{sourceRef}' cannot be accessed: {resolved.Reason}.", IssueScope.Line);
            state.LineInvalid = true;
        }
        else if (_checkImages && resolved.LocalPath is not null)
        {
            state.LineInvalid |= CheckImage(resolved.LocalPath, sourceRef, state.HasBoxAttribute);
        }

        LineOutcome outcome;
        if (state.LineInvalid)
        {
            outcome = LineOutcome.Invalid;
        }
        else if (_labels.Count > 0)
        {
            outcome = LineOutcome.Valid;
        }
        else
        {
            outcome = HasErrorIssue() ? LineOutcome.Invalid : LineOutcome.Ignored;
        }

        var useCase = outcome == LineOutcome.Valid ? UseCaseOfLabels() : LineUseCase.None;
        return Finish(utf8, borrowed, line, lineNumber, bucket, outcome, useCase, outcome == LineOutcome.Valid ? state.ValidBoxes : 0);
    }

    /// <summary>The same line, dropped because an earlier line has its source-ref.</summary>
    public static ValidatedLine AsDuplicate(ValidatedLine line)
    {
        var issues = new List<ValidationIssue>(line.Issues.Count + 1);
        issues.AddRange(line.Issues);
        issues.Add(Issue(ValidationCodes.DuplicateSourceRef, "Each image may appear on one line only; merge its labels into the first line.", IssueScope.Line));
        var json = LineIssueWriter.Annotate(line.Json.Span, issues) ?? LineIssueWriter.ErrorOnlyLine(issues[^1]);
        return new ValidatedLine(line.LineNumber, line.SourceRef, line.Bucket, LineOutcome.Dropped, LineUseCase.None, json, [], 0, issues);
    }

    private void CheckAttribute(GroundTruthLabelAttribute attribute, ref LineState state)
    {
        var name = attribute.Name;
        if (attribute.Kind == LabelAttributeKind.Unsupported)
        {
            Add(ValidationCodes.UnsupportedUseCaseType, ValidationCodes.Format(ValidationCodes.UnsupportedUseCaseType, name) + $" Found \"{attribute.Type}\"; use \"{GroundTruthLineParser.ClassificationType}\" or \"{GroundTruthLineParser.ObjectDetectionType}\".",
                MetadataScope(attribute), name, formatted: true);
            state.SchemaFailures++;
            return;
        }

        if (attribute.MetadataProblem is not null)
        {
            Add(ValidationCodes.InvalidLabelAttributeMetadataFormat, $"In '{name}{GroundTruthLineParser.MetadataSuffix}': {attribute.MetadataProblem}.", MetadataScope(attribute), name);
            state.SchemaFailures++;
            return;
        }

        if (attribute.AttributeProblem is not null)
        {
            Add(ValidationCodes.InvalidLabelAttributeFormat, ValidationCodes.Format(ValidationCodes.InvalidLabelAttributeFormat, name) + $" {Capitalize(attribute.AttributeProblem)}.",
                attribute.AttributeIsObject ? IssueScope.Attribute : IssueScope.Line, name, formatted: true);
            state.SchemaFailures++;
            return;
        }

        if (attribute.Kind == LabelAttributeKind.Classification)
        {
            CheckClassification(attribute, ref state);
        }
        else
        {
            CheckBoxes(attribute, ref state);
        }
    }

    private void CheckClassification(GroundTruthLabelAttribute attribute, ref LineState state)
    {
        var label = attribute.ClassName!;
        if (!IsValidLabelLength(label))
        {
            Add(ValidationCodes.InvalidLabelNameLength, LabelLengthDetail(label), IssueScope.Metadata, attribute.Name);
            state.SchemaFailures++;
            return;
        }

        if (!TryAddLabel(label, onBox: false))
        {
            Add(ValidationCodes.InvalidLabelAttributeFormat, TooManyLabelsMessage(attribute.Name), IssueScope.Line, attribute.Name, formatted: true);
            state.SchemaFailures++;
        }
    }

    private void CheckBoxes(GroundTruthLabelAttribute attribute, ref LineState state)
    {
        var name = attribute.Name;
        var annotations = attribute.Annotations;
        var confidences = attribute.ObjectConfidences;
        if (confidences.Count != annotations.Count || confidences.Contains(null))
        {
            Add(ValidationCodes.MissingBoundingBoxConfidence,
                $"'objects' has {confidences.Count(c => c is not null)} confidence values for {annotations.Count} annotations; give one {{\"confidence\": n}} per annotation, in the same order.",
                IssueScope.Metadata, name);
            state.SchemaFailures++;
            return;
        }

        foreach (var entry in attribute.ClassMap)
        {
            if (!IsValidLabelLength(entry.LabelName))
            {
                Add(ValidationCodes.InvalidLabelNameLength, LabelLengthDetail(entry.LabelName), IssueScope.Metadata, name);
                state.SchemaFailures++;
                return;
            }
        }

        if (annotations.Count == 0)
        {
            if (attribute.IsHumanAnnotated)
            {
                Add(ValidationCodes.NoAttributeAnnotations, null, IssueScope.Attribute, name);
                state.EmptyHumanAnnotated++;
            }

            return;
        }

        if (state.LineBoxes > _limits.MaxBoundingBoxesPerImage)
        {
            if (!state.TooManyBoxesReported)
            {
                var where = state.LineBoxes == annotations.Count ? $"'{name}' has" : "The image's box attributes have";
                Add(ValidationCodes.TooManyBoundingBoxes, $"{where} {state.LineBoxes} boxes; at most {_limits.MaxBoundingBoxesPerImage} are allowed per image.", IssueScope.Line);
                state.TooManyBoxesReported = true;
            }

            state.LineInvalid = true;
            return;
        }

        var size = attribute.ImageSize!.Value;
        var longer = Math.Max(size.Width, size.Height);
        var scale = longer > _limits.TrainingMaxImageSide ? (double)_limits.TrainingMaxImageSide / longer : 1.0;
        var valid = 0;
        var labelLimitReported = false;
        for (var i = 0; i < annotations.Count; i++)
        {
            var box = annotations[i];
            var label = attribute.LabelOf(box.ClassId);
            if (label is null)
            {
                Add(ValidationCodes.MissingClassMapId, $"class_id {box.ClassId} has no entry in 'class-map'; add \"{box.ClassId}\": \"<label>\".", IssueScope.Annotation, name, i);
                continue;
            }

            // A thousandth of a pixel absorbs the rounding of decimal box values (123.4 + 516.6 on a 640-px image).
            if (box.Left < 0 || box.Top < 0 || box.Width < 0 || box.Height < 0 || box.Left + box.Width > size.Width + EdgeTolerance || box.Top + box.Height > size.Height + EdgeTolerance)
            {
                Add(ValidationCodes.InvalidBoundingBox, string.Create(CultureInfo.InvariantCulture,
                    $"Box left={box.Left}, top={box.Top}, width={box.Width}, height={box.Height} does not fit in the {size.Width}x{size.Height} image."), IssueScope.Annotation, name, i);
                continue;
            }

            if (box.Width * scale <= 1 || box.Height * scale <= 1)
            {
                Add(ValidationCodes.BoundingBoxTooSmall, string.Create(CultureInfo.InvariantCulture,
                    $"Box of {box.Width}x{box.Height} px is {box.Width * scale:0.##}x{box.Height * scale:0.##} px once the image is scaled to {_limits.TrainingMaxImageSide} px; each side must be more than 1 px."), IssueScope.Annotation, name, i);
                continue;
            }

            if (!TryAddLabel(label, onBox: true))
            {
                if (!labelLimitReported)
                {
                    Add(ValidationCodes.InvalidLabelAttributeFormat, TooManyLabelsMessage(name), IssueScope.Attribute, name, formatted: true);
                    labelLimitReported = true;
                }

                continue;
            }

            _boxes?.Add(new ValidBox(label, box, size));
            valid++;
        }

        state.ValidBoxes += valid;
        if (valid == 0)
        {
            Add(ValidationCodes.NoValidAnnotations, $"None of the {annotations.Count} boxes of '{name}' is valid; fix them and their 'objects' and 'class-map' entries.", IssueScope.Line);
            state.NoValidAnnotations = true;
        }
    }

    /// <summary>Header checks of the image; true when they make the line invalid.</summary>
    private bool CheckImage(string path, string sourceRef, bool hasBoxes)
    {
        // Opened beneath its root and probed through that handle: a link out anywhere on the way is refused.
        ImageInfo info;
        using (var stream = _resolver.OpenRead(path, out var failure, bufferSize: 1))
        {
            if (stream is null)
            {
                Add(ValidationCodes.InvalidImage, failure switch
                {
                    ConfinedOpenFailure.OutsideRoot => $"The image at '{sourceRef}' cannot be accessed: a symbolic link leads outside the allowed folders.",
                    ConfinedOpenFailure.AccessDenied => $"The image at '{sourceRef}' cannot be accessed: its bucket denied access.",
                    _ => $"'{sourceRef}': no file at this location.",
                }, IssueScope.Line);
                return true;
            }

            try
            {
                // A remote object cannot seek: its size is known from the response, and a large one is not fetched to be refused.
                info = !stream.CanSeek && stream.Length > _limits.MaxImageBytes
                    ? ImageInfo.Failed(ImageProbeStatus.UnsupportedFormat, ImageFormat.Unknown, stream.Length, "not read: it is too large")
                    : ImageHeaderProbe.Probe(stream);
            }
            catch (IOException ex)
            {
                info = ImageInfo.Failed(ImageProbeStatus.Unreadable, ImageFormat.Unknown, 0, "the file cannot be read: " + ex.GetType().Name);
            }
        }

        if (info.Status == ImageProbeStatus.Unreadable)
        {
            Add(ValidationCodes.InvalidImage, $"'{sourceRef}': {info.Problem}.", IssueScope.Line);
            return true;
        }

        if (info.ByteLength > _limits.MaxImageBytes)
        {
            Add(ValidationCodes.InvalidImage, string.Create(CultureInfo.InvariantCulture, $"'{sourceRef}' has {info.ByteLength:N0} bytes; an image may have at most {_limits.MaxImageBytes:N0} bytes."), IssueScope.Line);
            return true;
        }

        if (!info.IsOk)
        {
            Add(ValidationCodes.InvalidImage, $"'{sourceRef}': {info.Problem}.", IssueScope.Line);
            return true;
        }

        int shorter = Math.Min(info.Width, info.Height), longer = Math.Max(info.Width, info.Height);
        if (shorter < _limits.MinImageSide || longer > _limits.MaxImageSide)
        {
            var detail = string.Create(CultureInfo.InvariantCulture, $"'{sourceRef}' is {info.Width}x{info.Height} px; each side must be {_limits.MinImageSide} to {_limits.MaxImageSide} px.");
            Add(hasBoxes ? ValidationCodes.InvalidImageDimension : ValidationCodes.InvalidImage, detail, IssueScope.Line);
            return true;
        }

        if (longer > _limits.MaxAspectRatio * shorter)
        {
            Add(ValidationCodes.InvalidImage, string.Create(CultureInfo.InvariantCulture, $"'{sourceRef}' is {info.Width}x{info.Height} px; the longer side may be at most {_limits.MaxAspectRatio} times the shorter."), IssueScope.Line);
            return true;
        }

        return false;
    }

    private static ValidatedLine NotJson(int lineNumber, string detail)
    {
        var issue = Issue(ValidationCodes.InvalidJsonLine, detail, IssueScope.Line);
        return new ValidatedLine(lineNumber, null, null, LineOutcome.Dropped, LineUseCase.None, LineIssueWriter.ErrorOnlyLine(issue), [], 0, [issue]);
    }

    private ValidatedLine Finish(ReadOnlySpan<byte> utf8, ReadOnlyMemory<byte> borrowed, GroundTruthLine line, int lineNumber, string? bucket, LineOutcome outcome, LineUseCase useCase, int boxes)
    {
        ReadOnlyMemory<byte> json;
        ValidationIssue[] issues = _issues.Count == 0 ? [] : _issues.ToArray();
        if (issues.Length == 0 && !line.HasServiceKeys)
        {
            json = borrowed.IsEmpty ? utf8.ToArray() : borrowed;
        }
        else
        {
            var rewritten = LineIssueWriter.Annotate(utf8, issues);
            if (rewritten is null)
            {
                // The DOM refused the line (duplicate nested keys): it cannot be stored as JSON.
                return NotJson(lineNumber, "The line has an object with the same key twice; keep each key once.");
            }

            json = rewritten;
        }

        LabelUse[] labels = _labels.Count == 0 || outcome != LineOutcome.Valid ? [] : _labels.ToArray();
        ValidBox[] validBoxes = _boxes is null || _boxes.Count == 0 || outcome != LineOutcome.Valid ? [] : _boxes.ToArray();
        return new ValidatedLine(lineNumber, line.SourceRef, bucket, outcome, useCase, json, labels, boxes, issues) { ValidBoxes = validBoxes };
    }

    private bool TryAddLabel(string name, bool onBox)
    {
        var nameKnown = false;
        foreach (var label in _labels)
        {
            if (string.Equals(label.Name, name, StringComparison.Ordinal))
            {
                if (label.OnBoundingBox == onBox)
                {
                    return true;
                }

                nameKnown = true;
            }
        }

        if (!nameKnown)
        {
            if (_distinctLabelNames >= _limits.MaxLabelsPerImage)
            {
                return false;
            }

            _distinctLabelNames++;
        }

        _labels.Add(new LabelUse(name, onBox));
        return true;
    }

    private LineUseCase UseCaseOfLabels()
    {
        bool image = false, box = false;
        foreach (var label in _labels)
        {
            if (label.OnBoundingBox)
            {
                box = true;
            }
            else
            {
                image = true;
            }
        }

        return (image, box) switch
        {
            (true, true) => LineUseCase.Both,
            (true, false) => LineUseCase.ImageLevel,
            (false, true) => LineUseCase.ObjectLocalization,
            _ => LineUseCase.None,
        };
    }

    private bool HasErrorIssue() => _issues.Exists(i => !i.IsWarning);

    private bool IsValidLabelLength(string label) => label.Length >= 1 && label.Length <= _limits.MaxLabelNameLength;

    private string LabelLengthDetail(string label) => label.Length == 0
        ? "A label name is empty."
        : string.Create(CultureInfo.InvariantCulture, $"The label name '{label[..Math.Min(40, label.Length)]}...' has {label.Length} characters; shorten it to {_limits.MaxLabelNameLength} or fewer.");

    private string TooManyLabelsMessage(string attributeName) =>
        ValidationCodes.Format(ValidationCodes.InvalidLabelAttributeFormat, attributeName)
        + $" The image already has {_limits.MaxLabelsPerImage} labels, the most one image may have; remove this attribute or another label.";

    private static IssueScope MetadataScope(GroundTruthLabelAttribute attribute) => attribute.MetadataIsObject ? IssueScope.Metadata : IssueScope.Line;

    private static string Capitalize(string text) => text.Length == 0 || !char.IsLower(text[0]) ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private void Add(string code, string? detail, IssueScope scope, string? attribute = null, int annotation = -1, bool formatted = false) =>
        _issues.Add(formatted ? new ValidationIssue(code, detail!, scope, attribute, annotation) : Issue(code, detail, scope, attribute, annotation));

    private static ValidationIssue Issue(string code, string? detail, IssueScope scope, string? attribute = null, int annotation = -1) =>
        new(code, ValidationCodes.MessageWithDetail(code, detail), scope, attribute, annotation);

    private struct LineState
    {
        public int SchemaFailures;
        public int EmptyHumanAnnotated;
        public int ValidBoxes;
        public int LineBoxes;
        public bool TooManyBoxesReported;
        public bool HasBoxAttribute;
        public bool LineInvalid;
        public bool NoValidAnnotations;

        public readonly bool HasErrors => SchemaFailures > 0 || LineInvalid || NoValidAnnotations;
    }
}
