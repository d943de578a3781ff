using Rekognition.Core.Manifests;
using Rekognition.Core.Model;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Conversion;

/// <summary>
/// Converts a COCO object-detection (instances) file into a Ground Truth bounding-box manifest, one line
/// per COCO image in file order: <c>bbox [x, y, w, h]</c> becomes <c>left/top/width/height</c> unchanged,
/// category ids are the <c>class_id</c>s as they are (not renumbered), <c>class-map</c> names the
/// categories the image uses, <c>date_captured</c> becomes <c>creation-date</c>, every box gets confidence 1.
/// Each box keeps COCO's <c>iscrowd</c> (as <c>"iscrowd": 1</c>) and <c>area</c> as extra annotation fields, which the
/// service ignores and the COCO-exact metrics use.
/// </summary>
public sealed class CocoManifestConverter
{
    private readonly CocoConversionOptions _options;

    /// <summary>Creates a converter with the given settings (defaults when null).</summary>
    public CocoManifestConverter(CocoConversionOptions? options = null)
    {
        _options = options ?? new CocoConversionOptions();
    }

    /// <summary>Converts the COCO file at <paramref name="cocoPath"/> into the manifest file <paramref name="manifestPath"/>.</summary>
    /// <exception cref="InvalidParameterException">The COCO file is malformed or inconsistent; the message names the element.</exception>
    public ManifestConversionResult ConvertFile(string cocoPath, string manifestPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(cocoPath);
        ArgumentException.ThrowIfNullOrEmpty(manifestPath);
        if (!File.Exists(cocoPath))
        {
            throw new InvalidParameterException($"The COCO file '{cocoPath}' does not exist.");
        }

        using var input = new FileStream(cocoPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        return AtomicFile.Write(manifestPath, output => Convert(input, output, Path.GetFileName(cocoPath), cancellationToken));
    }

    /// <summary>
    /// Reads a COCO instances JSON from <paramref name="coco"/> and writes the manifest to <paramref name="manifest"/>
    /// (left open). Nothing is written when the COCO file has an error.
    /// </summary>
    /// <param name="coco">The COCO JSON.</param>
    /// <param name="manifest">Where the manifest lines go.</param>
    /// <param name="sourceName">The COCO file's name, for messages.</param>
    /// <param name="cancellationToken">Checked between images.</param>
    /// <exception cref="InvalidParameterException">The COCO file is malformed or inconsistent; the message names the element.</exception>
    public ManifestConversionResult Convert(Stream coco, Stream manifest, string? sourceName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(coco);
        ArgumentNullException.ThrowIfNull(manifest);
        var source = $"COCO file '{sourceName ?? "(stream)"}'";
        var dataset = CocoDataset.Parse(coco, source);
        var tally = new ConversionTally();
        if (!dataset.HasAnnotationsSection)
        {
            tally.Warnings.Add($"{source} has no 'annotations' section: every image is written without boxes.");
        }

        var boxesByImage = GroupBoxes(dataset, tally);
        var sourceRefs = SourceRefs(dataset, source);
        var defaultDate = new ManifestTimestamp(_options.DefaultCreationDate ?? DateTime.UtcNow);
        var undated = 0;
        var skipped = 0;
        var line = new ImageBoundingBoxes
        {
            AttributeName = _options.AttributeName,
            ImageDepth = _options.ImageDepth,
            JobName = _options.JobName,
            HumanAnnotated = _options.HumanAnnotated,
            ClassNames = dataset.Categories,
        };

        using var writer = new GroundTruthManifestWriter(manifest, leaveOpen: true);
        for (var i = 0; i < dataset.Images.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = dataset.Images[i];
            var boxes = boxesByImage.GetValueOrDefault(image.Id);
            if (boxes is null && _options.SkipImagesWithoutAnnotations)
            {
                skipped++;
                continue;
            }

            if (image.DateCaptured is null)
            {
                undated++;
            }

            line.ImageWidth = image.Width;
            line.ImageHeight = image.Height;
            line.Annotations = (IReadOnlyList<BoundingBoxAnnotation>?)boxes ?? Array.Empty<BoundingBoxAnnotation>();
            line.CreationDate = image.DateCaptured is null ? defaultDate : ManifestTimestamp.Verbatim(image.DateCaptured);
            writer.WriteBoundingBoxes(sourceRefs[i], line);
            tally.Line(labelled: true);
            foreach (var box in line.Annotations)
            {
                tally.Box(dataset.Categories[box.ClassId]);
            }
        }

        writer.Flush();
        var withoutBoxes = dataset.Images.Count - boxesByImage.Count;
        if (withoutBoxes > 0)
        {
            tally.Warnings.Add(_options.SkipImagesWithoutAnnotations
                ? $"{skipped} image(s) without annotations were left out."
                : $"{withoutBoxes} image(s) have no annotations; their lines have empty 'annotations' (the service warns WARNING_NO_ANNOTATIONS).");
        }

        if (undated > 0)
        {
            tally.Warnings.Add($"{undated} image(s) have no date_captured; their creation-date is {defaultDate}.");
        }

        return tally.ToResult();
    }

    private Dictionary<long, List<BoundingBoxAnnotation>> GroupBoxes(CocoDataset dataset, ConversionTally tally)
    {
        var byImage = new Dictionary<long, List<BoundingBoxAnnotation>>();
        var crowd = 0;
        foreach (var annotation in dataset.Annotations)
        {
            if (annotation.IsCrowd)
            {
                crowd++;
                if (_options.Crowd == CocoCrowdHandling.Skip)
                {
                    continue;
                }
            }

            if (!byImage.TryGetValue(annotation.ImageId, out var boxes))
            {
                byImage[annotation.ImageId] = boxes = new List<BoundingBoxAnnotation>();
            }

            // iscrowd and area travel with the box so that the COCO-exact metrics can ignore crowd regions and use COCO's areas.
            boxes.Add(new BoundingBoxAnnotation(annotation.CategoryId, annotation.X, annotation.Y, annotation.Width, annotation.Height)
            {
                IsCrowd = annotation.IsCrowd,
                Area = annotation.Area,
            });
        }

        if (crowd > 0)
        {
            tally.Warnings.Add(_options.Crowd == CocoCrowdHandling.Skip
                ? $"{crowd} crowd annotation(s) (iscrowd = 1) were left out."
                : $"{crowd} crowd annotation(s) (iscrowd = 1) were kept, marked \"iscrowd\": 1: training and the service's metrics use them as ordinary boxes around a group of objects, the COCO-exact metrics ignore them; set Crowd = Skip to leave them out.");
        }

        return byImage;
    }

    // All source-refs are worked out before anything is written, so a missing location fails the whole conversion.
    private string[] SourceRefs(CocoDataset dataset, string source)
    {
        var builder = new SourceRefBuilder(_options.BucketsRoot);
        var refs = new string[dataset.Images.Count];
        for (var i = 0; i < refs.Length; i++)
        {
            var image = dataset.Images[i];
            if (image.CocoUrl is not null && SourceRefBuilder.IsS3(image.CocoUrl))
            {
                refs[i] = image.CocoUrl;
            }
            else if (!string.IsNullOrWhiteSpace(_options.ImagePrefix))
            {
                refs[i] = builder.Join(_options.ImagePrefix, image.FileName);
            }
            else
            {
                throw new InvalidParameterException($"{source}: images[{i}] (id {image.Id}, '{image.FileName}') has no s3:// coco_url; set ImagePrefix to the s3:// prefix or local folder that holds the images.");
            }
        }

        return refs;
    }
}
