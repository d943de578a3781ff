using System.Globalization;
using Rekognition.Core.Manifests;
using Rekognition.Core.Model;

namespace Rekognition.Core.Conversion;

/// <summary>
/// Converts YOLO detection labels (one <c>&lt;stem&gt;.txt</c> per image, one <c>class cx cy w h</c> line per
/// box, normalised to 0..1) into a Ground Truth bounding-box manifest with pixel boxes. YOLO class ids are
/// the <c>class_id</c>s; names come from the dataset YAML. Image sizes come from the caller's probe, since
/// normalised boxes need them. An image without a label file gets a line with no boxes (YOLO's background image).
/// </summary>
public sealed class YoloLabelsConverter
{
    private readonly YoloConversionOptions _options;
    private readonly Func<string, (int Width, int Height)> _imageSize;

    /// <summary>Creates a converter.</summary>
    /// <param name="imageSize">Gives an image's width and height in pixels from its full path (a header probe).</param>
    /// <param name="options">Settings; defaults when null.</param>
    public YoloLabelsConverter(Func<string, (int Width, int Height)> imageSize, YoloConversionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(imageSize);
        _imageSize = imageSize;
        _options = options ?? new YoloConversionOptions();
    }

    /// <summary>Reads the class names from a YOLO dataset YAML (<c>names:</c> map or list).</summary>
    /// <exception cref="InvalidParameterException">The file has no readable <c>names</c>.</exception>
    public static IReadOnlyDictionary<int, string> ReadClassNames(string datasetYamlPath)
    {
        if (!File.Exists(datasetYamlPath))
        {
            throw new InvalidParameterException($"The dataset file '{datasetYamlPath}' does not exist.");
        }

        using var reader = File.OpenText(datasetYamlPath);
        return YoloClassNames.Parse(reader, $"dataset file '{Path.GetFileName(datasetYamlPath)}'");
    }

    /// <summary>
    /// Writes one line per image in <paramref name="imagesFolder"/> (ordinal order of names) with the boxes of
    /// the label file of the same name in <paramref name="labelsFolder"/>, to <paramref name="manifest"/> (left open).
    /// </summary>
    /// <exception cref="InvalidParameterException">A folder is missing, a label line is malformed or names an unknown class; the message names file and line.</exception>
    public ManifestConversionResult Convert(string imagesFolder, string labelsFolder, IReadOnlyDictionary<int, string> classNames, Stream manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (var folder in new[] { imagesFolder, labelsFolder })
        {
            if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
            {
                throw new InvalidParameterException($"The folder '{folder}' does not exist.");
            }
        }

        var extensions = new HashSet<string>(_options.Extensions, StringComparer.OrdinalIgnoreCase);
        var images = Directory.EnumerateFiles(imagesFolder).Where(f => extensions.Contains(Path.GetExtension(f))).ToList();
        images.Sort(StringComparer.Ordinal);
        if (images.Count == 0)
        {
            throw new InvalidParameterException($"The folder '{imagesFolder}' holds no image with the extensions {string.Join(", ", extensions)}.");
        }

        var builder = new SourceRefBuilder(_options.BucketsRoot);
        var tally = new ConversionTally();
        var boxes = new List<BoundingBoxAnnotation>();
        var line = new ImageBoundingBoxes
        {
            AttributeName = _options.AttributeName,
            JobName = _options.JobName,
            ClassNames = classNames,
            CreationDate = new ManifestTimestamp(_options.CreationDate ?? DateTime.UtcNow),
            Annotations = boxes,
        };
        var unlabelled = 0;
        using (var writer = new GroundTruthManifestWriter(manifest, leaveOpen: true))
        {
            foreach (var image in images)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (width, height) = _imageSize(image);
                line.ImageWidth = width;
                line.ImageHeight = height;
                var labelFile = Path.Combine(labelsFolder, Path.GetFileNameWithoutExtension(image) + ".txt");
                boxes.Clear();
                if (File.Exists(labelFile))
                {
                    ReadBoxes(labelFile, width, height, classNames, boxes);
                }
                else
                {
                    unlabelled++;
                }

                writer.WriteBoundingBoxes(builder.FromLocalPath(image), line);
                tally.Line(labelled: true);
                foreach (var box in boxes)
                {
                    tally.Box(classNames[box.ClassId]);
                }
            }

            writer.Flush();
        }

        if (unlabelled > 0)
        {
            tally.Warnings.Add($"{unlabelled} image(s) have no label file; their lines have no boxes.");
        }

        var imageStems = new HashSet<string>(images.Select(Path.GetFileNameWithoutExtension)!, StringComparer.Ordinal);
        var orphans = Directory.EnumerateFiles(labelsFolder, "*.txt")
            .Where(f => !imageStems.Contains(Path.GetFileNameWithoutExtension(f)))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (orphans.Count > 0)
        {
            tally.Warnings.Add($"{orphans.Count} label file(s) have no image and were left out: {string.Join(", ", orphans.Take(10))}{(orphans.Count > 10 ? ", ..." : "")}.");
        }

        return tally.ToResult();
    }

    private void ReadBoxes(string labelFile, int width, int height, IReadOnlyDictionary<int, string> classNames, List<BoundingBoxAnnotation> boxes)
    {
        var number = 0;
        Span<double> values = stackalloc double[4];
        Span<Range> parts = stackalloc Range[6];
        foreach (var text in File.ReadLines(labelFile))
        {
            number++;
            var span = text.AsSpan().Trim();
            if (span.IsEmpty)
            {
                continue;
            }

            var where = $"label file '{Path.GetFileName(labelFile)}', line {number}";
            var count = span.SplitAny(parts, " \t", StringSplitOptions.RemoveEmptyEntries);
            if (count != 5 || !int.TryParse(span[parts[0]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var classId))
            {
                throw new InvalidParameterException($"{where}: '{text}' is not 'class cx cy w h'.");
            }

            for (var i = 0; i < 4; i++)
            {
                if (!double.TryParse(span[parts[i + 1]], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || values[i] is < 0 or > 1)
                {
                    throw new InvalidParameterException($"{where}: '{text}' has a coordinate that is not a number between 0 and 1.");
                }
            }

            if (!classNames.ContainsKey(classId))
            {
                throw new InvalidParameterException($"{where}: class {classId} is not in the dataset's names.");
            }

            var boxWidth = values[2] * width;
            var boxHeight = values[3] * height;
            boxes.Add(new BoundingBoxAnnotation(
                classId,
                Round(values[0] * width - boxWidth / 2),
                Round(values[1] * height - boxHeight / 2),
                Round(boxWidth),
                Round(boxHeight)));
        }
    }

    private double Round(double pixels) => Math.Max(0, Math.Round(pixels, _options.PixelDecimals, MidpointRounding.AwayFromZero));
}
