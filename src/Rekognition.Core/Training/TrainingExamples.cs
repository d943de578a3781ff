using Rekognition.Core.Inference;
using Rekognition.Core.Manifests;
using Rekognition.Core.Models;
using Rekognition.Core.Storage;
using Rekognition.Core.Validation;

namespace Rekognition.Core.Training;

/// <summary>The images a training run learns from and is tested on, with the model kind and label order they imply.</summary>
/// <param name="Kind">Multi-class, multi-label or detection.</param>
/// <param name="Labels">The training labels, sorted ordinally: the model's output order.</param>
/// <param name="Train">The usable training images.</param>
/// <param name="Test">The usable test images, their labels mapped to <paramref name="Labels"/> (labels never trained on are left out).</param>
/// <param name="TrainLines">The manifest lines of <paramref name="Train"/>: the training snapshot.</param>
internal sealed record TrainingExamples(ModelKind Kind, IReadOnlyList<string> Labels, IReadOnlyList<TrainingImage> Train, IReadOnlyList<TestImage> Test, IReadOnlyList<string> TrainLines);

/// <summary>A test image: the labelled image, and its manifest line for the evaluation snapshot.</summary>
internal sealed record TestImage(TrainingImage Image, string SourceRef, string ManifestLine);

/// <summary>
/// Reads the usable lines of validated training and test manifests: lines the validator keeps (warning-only
/// lines, such as an image with no boxes, are not used), of the chosen use case (image-level labels or object
/// location, as the manifest summary says), with their image files.
/// </summary>
/// <remarks>
/// <para>Image-level labels: each image gets the indexes of its image-level labels; lines with only boxes are left out.</para>
/// <para>Object location: each image gets its valid boxes (boxes the validator flagged are left out, the line's other
/// boxes kept) as <see cref="TrainingBox"/>es whose <see cref="NormalizedBox"/> is in ratios of the line's
/// <c>image_size</c> (left and width of its width, top and height of its height, origin top-left), and the distinct
/// label indexes of those boxes as <see cref="TrainingImage.Labels"/>. Image-level labels on a line that has boxes are
/// not used. Lines with only image-level labels are filtered out, as the service does for lines of the other
/// format (datasets.md §1) — except when no training line has a box (the brand-detection case, where the model type
/// comes from the boxed test set): then each image-level label of a training image becomes one box covering the
/// whole image (models.md §1.4 [S]). Test lines must have boxes.</para>
/// <para>Label indexes are positions in <see cref="TrainingExamples.Labels"/>: the labels of the usable training
/// images, sorted ordinally. Test labels never trained on are left out of the test images.</para>
/// </remarks>
internal sealed class TrainingExampleReader(ManifestLineValidator validator, SourceRefResolver resolver, int maxLineBytes)
{
    /// <summary>A reader with its own box-collecting validator (image checks off: validation already ran).</summary>
    public TrainingExampleReader(ManifestLimits limits, SourceRefResolver resolver)
        : this(new ManifestLineValidator(limits, resolver, checkImages: false, collectBoxes: true), resolver, limits.MaxLineBytes)
    {
    }

    /// <summary>
    /// Reads the usable images. <paramref name="negatives"/>: training lines with no label at all (no image-level label, no
    /// box) are kept as negative examples, images with no labels; a dataset of nothing else still has no labels and fails.
    /// </summary>
    public TrainingExamples Read(Stream training, Stream testing, string useCase, CancellationToken ct, bool negatives = false)
    {
        var detection = useCase == ManifestUseCase.ObjectLocalization;
        var trainLines = ReadLines(training, negatives, ct);
        var testLines = ReadLines(testing, unlabeled: false, ct);
        if (detection)
        {
            var brand = !trainLines.Exists(l => l.Boxes.Count > 0);
            trainLines.RemoveAll(l => l.Boxes.Count == 0 && !(brand && l.ImageLabels.Count > 0) && !(negatives && !brand && l.ImageLabels.Count == 0));
            foreach (var line in trainLines.Where(l => l.Boxes.Count == 0))
            {
                line.Boxes.AddRange(line.ImageLabels.Select(label => (label, new NormalizedBox(0, 0, 1, 1), false, (double?)null)));
            }

            testLines.RemoveAll(l => l.Boxes.Count == 0);
        }
        else
        {
            trainLines.RemoveAll(l => l.ImageLabels.Count == 0 && !negatives);
            testLines.RemoveAll(l => l.ImageLabels.Count == 0);
        }

        var labels = trainLines.SelectMany(l => l.Labels(detection)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var kind = detection ? ModelKind.Detection
            : trainLines.Any(l => l.ImageLabels.Count > 1) ? ModelKind.MultiLabel : ModelKind.MultiClass;
        if (labels.Length == 0)
        {
            trainLines.Clear(); // negatives alone teach nothing: the usual "too few labels" failure follows
        }

        var train = trainLines.Select(l => l.ToImage(index, detection)).ToArray();
        var test = testLines.Select(l => new TestImage(l.ToImage(index, detection), l.SourceRef, l.Json)).ToArray();
        return new TrainingExamples(kind, labels, train, test, trainLines.Select(l => l.Json).ToArray());
    }

    private List<UsableLine> ReadLines(Stream manifest, bool unlabeled, CancellationToken ct)
    {
        var lines = new List<UsableLine>();
        using var reader = new ManifestLineReader(manifest, maxLineBytes);
        while (reader.ReadNext())
        {
            ct.ThrowIfCancellationRequested();
            if (reader.IsTooLong || reader.Current[System.Text.Ascii.Trim(reader.Current)].IsEmpty)
            {
                continue;
            }

            var validated = validator.ValidateLine(reader.Current, reader.LineNumber, null);
            // An unlabeled image is a warning-only line; it is read when negatives are asked for.
            var negative = unlabeled && validated.Outcome == LineOutcome.Ignored && validated.Labels.Count == 0 && validated.ValidBoxes.Count == 0;
            if ((validated.Outcome != LineOutcome.Valid && !negative) || validated.SourceRef is null)
            {
                continue;
            }

            var resolved = resolver.Resolve(validated.SourceRef);
            if (!resolved.IsResolved || resolved.LocalPath is null || !IsReadableBeneathItsRoot(resolved.LocalPath))
            {
                continue;
            }

            var line = new UsableLine(validated.SourceRef, resolved.LocalPath, System.Text.Encoding.UTF8.GetString(reader.Current));
            line.ImageLabels.AddRange(validated.Labels.Where(l => !l.OnBoundingBox).Select(l => l.Name));
            foreach (var valid in validated.ValidBoxes)
            {
                if (ToRatios(valid) is { } box)
                {
                    line.Boxes.Add((valid.Label, box, valid.Box.IsCrowd, AreaFraction(valid)));
                }
            }

            lines.Add(line);
        }

        return lines;
    }

    /// <summary>Whether the image opens beneath its root now (a link out, added since validation, drops it).</summary>
    private bool IsReadableBeneathItsRoot(string path) => resolver.CanRead(path);

    /// <summary>
    /// A valid box as ratios of its <c>image_size</c>. The validator lets a box pass the edge by a thousandth of a
    /// pixel (rounding of decimal values), so the ratios are clipped to the image.
    /// </summary>
    private static NormalizedBox? ToRatios(ValidBox valid)
    {
        var (box, size) = (valid.Box, valid.ImageSize);
        if (size.Width <= 0 || size.Height <= 0)
        {
            return null;
        }

        var left = Math.Clamp(box.Left / size.Width, 0, 1);
        var top = Math.Clamp(box.Top / size.Height, 0, 1);
        var right = Math.Clamp((box.Left + box.Width) / size.Width, 0, 1);
        var bottom = Math.Clamp((box.Top + box.Height) / size.Height, 0, 1);
        return right <= left || bottom <= top ? null : new NormalizedBox((float)left, (float)top, (float)(right - left), (float)(bottom - top));
    }

    // COCO's area in the manifest's pixels, as a share of the image, so the evaluation can scale it to the decoded image.
    private static double? AreaFraction(ValidBox valid) =>
        valid.Box.Area is { } area && valid.ImageSize.Width > 0 && valid.ImageSize.Height > 0
            ? area / ((double)valid.ImageSize.Width * valid.ImageSize.Height)
            : null;

    private sealed class UsableLine(string sourceRef, string path, string json)
    {
        public string SourceRef { get; } = sourceRef;

        public string Path { get; } = path;

        public string Json { get; } = json;

        /// <summary>The line's image-level labels.</summary>
        public List<string> ImageLabels { get; } = new();

        /// <summary>The line's valid boxes, as ratios of the image, with their COCO crowd flag and area share (for the COCO-exact evaluation).</summary>
        public List<(string Label, NormalizedBox Box, bool IsCrowd, double? AreaFraction)> Boxes { get; } = new();

        /// <summary>The labels the model learns from this line: its box labels for detection, its image-level labels otherwise.</summary>
        public IEnumerable<string> Labels(bool detection) => detection ? Boxes.Select(b => b.Label).Distinct(StringComparer.Ordinal) : ImageLabels;

        public TrainingImage ToImage(Dictionary<string, int> index, bool detection) => new(
            Path,
            Labels(detection).Where(index.ContainsKey).Select(l => index[l]).ToArray(),
            detection
                ? Boxes.Where(b => index.ContainsKey(b.Label)).Select(b => new TrainingBox(index[b.Label], b.Box) { IsCrowd = b.IsCrowd, AreaFraction = b.AreaFraction }).ToArray()
                : []);
    }
}
