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
/// Reads the usable lines of validated training and test manifests: lines the validator keeps, of the chosen
/// use case (image-level labels or object location, as the manifest summary says), with their image files.
/// </summary>
internal sealed class TrainingExampleReader(ManifestLineValidator validator, SourceRefResolver resolver, int maxLineBytes)
{
    private readonly GroundTruthLineParser _parser = new();

    public TrainingExamples Read(Stream training, Stream testing, string useCase, CancellationToken ct)
    {
        var detection = useCase == ManifestUseCase.ObjectLocalization;
        var trainLines = ReadLines(training, detection, ct);
        var labels = trainLines.SelectMany(l => l.Labels).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var kind = detection ? ModelKind.Detection
            : trainLines.Any(l => l.Labels.Count > 1) ? ModelKind.MultiLabel : ModelKind.MultiClass;

        var train = trainLines.Select(l => l.ToImage(index)).ToArray();
        var test = ReadLines(testing, detection, ct).Select(l => new TestImage(l.ToImage(index), l.SourceRef, l.Json)).ToArray();
        return new TrainingExamples(kind, labels, train, test, trainLines.Select(l => l.Json).ToArray());
    }

    private List<UsableLine> ReadLines(Stream manifest, bool detection, CancellationToken ct)
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
            if (validated.Outcome != LineOutcome.Valid || validated.SourceRef is null)
            {
                continue;
            }

            var resolved = resolver.Resolve(validated.SourceRef);
            if (!resolved.IsResolved || resolved.LocalPath is null)
            {
                continue;
            }

            var line = new UsableLine(validated.SourceRef, resolved.LocalPath, System.Text.Encoding.UTF8.GetString(reader.Current));
            if (detection)
            {
                ReadBoxes(reader.Current, line);
            }
            else
            {
                line.Labels.AddRange(validated.Labels.Where(l => !l.OnBoundingBox).Select(l => l.Name));
            }

            if (line.Labels.Count > 0 || detection)
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    /// <summary>The valid boxes of the line's object-detection attributes, as ratios of the image, clipped to it.</summary>
    private void ReadBoxes(ReadOnlySpan<byte> json, UsableLine line)
    {
        var parsed = _parser.Parse(json, out _);
        if (parsed is null)
        {
            return;
        }

        for (var a = 0; a < parsed.AttributeCount; a++)
        {
            var attribute = parsed.AttributeAt(a);
            if (attribute.Kind != LabelAttributeKind.ObjectDetection || attribute.ImageSize is not { Width: > 0, Height: > 0 } size)
            {
                continue;
            }

            foreach (var box in attribute.Annotations)
            {
                var name = attribute.ClassMap.FirstOrDefault(c => c.ClassId == box.ClassId).LabelName;
                var left = Math.Clamp(box.Left / size.Width, 0, 1);
                var top = Math.Clamp(box.Top / size.Height, 0, 1);
                var right = Math.Clamp((box.Left + box.Width) / size.Width, 0, 1);
                var bottom = Math.Clamp((box.Top + box.Height) / size.Height, 0, 1);
                if (string.IsNullOrEmpty(name) || right <= left || bottom <= top)
                {
                    continue;
                }

                line.Boxes.Add((name, new NormalizedBox((float)left, (float)top, (float)(right - left), (float)(bottom - top))));
                if (!line.Labels.Contains(name))
                {
                    line.Labels.Add(name);
                }
            }
        }
    }

    private sealed class UsableLine(string sourceRef, string path, string json)
    {
        public string SourceRef { get; } = sourceRef;

        public string Path { get; } = path;

        public string Json { get; } = json;

        public List<string> Labels { get; } = new();

        public List<(string Label, NormalizedBox Box)> Boxes { get; } = new();

        public TrainingImage ToImage(Dictionary<string, int> index) => new(
            Path,
            Labels.Where(index.ContainsKey).Select(l => index[l]).ToArray(),
            Boxes.Where(b => index.ContainsKey(b.Label)).Select(b => new TrainingBox(index[b.Label], b.Box)).ToArray());
    }
}
