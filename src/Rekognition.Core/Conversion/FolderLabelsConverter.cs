using Rekognition.Core.Manifests;
using Rekognition.Core.Model;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Conversion;

/// <summary>
/// Labels images by folder name, as the console's S3 folder import does: each image under the given
/// folder gets the name of the first-level child folder that holds it, however deep it lies below that
/// child; images directly in the given folder have no label. Lines come in ordinal order of the relative
/// paths, so the same tree always gives the same manifest.
/// </summary>
public sealed class FolderLabelsConverter
{
    private const int MaxLabelNameLength = 256;
    private readonly FolderLabelsOptions _options;

    /// <summary>Creates a converter with the given settings (defaults when null).</summary>
    public FolderLabelsConverter(FolderLabelsOptions? options = null)
    {
        _options = options ?? new FolderLabelsOptions();
    }

    /// <summary>Labels the images under <paramref name="folder"/> and writes the manifest file <paramref name="manifestPath"/>.</summary>
    /// <exception cref="InvalidParameterException">The folder does not exist or holds no image.</exception>
    public ManifestConversionResult ConvertFile(string folder, string manifestPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(manifestPath);
        var images = FindImages(folder, out var skipped);
        return AtomicFile.Write(manifestPath, stream => Write(images, skipped, stream, cancellationToken));
    }

    /// <summary>Labels the images under <paramref name="folder"/> and writes the manifest to <paramref name="manifest"/> (left open).</summary>
    /// <exception cref="InvalidParameterException">The folder does not exist or holds no image.</exception>
    public ManifestConversionResult Convert(string folder, Stream manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var images = FindImages(folder, out var skipped);
        return Write(images, skipped, manifest, cancellationToken);
    }

    private readonly record struct FolderImage(string RelativePath, string FullPath, string? Label);

    private List<FolderImage> FindImages(string folder, out List<string> skipped)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new InvalidParameterException($"The image folder '{folder}' does not exist.");
        }

        var extensions = new HashSet<string>(_options.Extensions.Select(e => e.StartsWith('.') ? e : "." + e), StringComparer.OrdinalIgnoreCase);
        var enumeration = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchType = MatchType.Simple };
        var images = new List<FolderImage>();
        skipped = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*", enumeration))
        {
            var relative = Path.GetRelativePath(root, file);
            if (!extensions.Contains(Path.GetExtension(file)))
            {
                skipped.Add(relative);
                continue;
            }

            var separator = relative.IndexOfAny([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]);
            var label = separator < 0 ? null : relative[..separator];
            if (label is null && _options.RootImages == RootImageHandling.Skip)
            {
                skipped.Add(relative);
                continue;
            }

            if (label is not null && label.Length > MaxLabelNameLength)
            {
                throw new InvalidParameterException($"The folder name '{label[..32]}...' under '{folder}' has {label.Length} characters; a label has at most {MaxLabelNameLength}.");
            }

            images.Add(new FolderImage(relative, file, label));
        }

        if (images.Count == 0)
        {
            throw new InvalidParameterException($"The folder '{folder}' holds no image with the extensions {string.Join(", ", extensions)}.");
        }

        images.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        skipped.Sort(StringComparer.Ordinal);
        return images;
    }

    private ManifestConversionResult Write(List<FolderImage> images, List<string> skipped, Stream manifest, CancellationToken cancellationToken)
    {
        var builder = new SourceRefBuilder(_options.BucketsRoot);
        var date = new ManifestTimestamp(_options.CreationDate ?? DateTime.UtcNow);
        var tally = new ConversionTally();
        var templates = new Dictionary<string, ImageLabel>(StringComparer.Ordinal);
        using (var writer = new GroundTruthManifestWriter(manifest, leaveOpen: true))
        {
            foreach (var image in images)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sourceRef = builder.FromLocalPath(image.FullPath);
                if (image.Label is null)
                {
                    writer.WriteUnlabelled(sourceRef);
                    tally.Line(labelled: false);
                    continue;
                }

                if (!templates.TryGetValue(image.Label, out var label))
                {
                    label = new ImageLabel(_options.AttributeName, image.Label, date) { JobName = _options.JobName };
                    templates[image.Label] = label;
                }

                writer.WriteClassification(sourceRef, label);
                tally.Line(labelled: true);
                tally.ImageLabel(image.Label);
            }

            writer.Flush();
        }

        if (skipped.Count > 0)
        {
            tally.Warnings.Add($"{skipped.Count} file(s) were left out (not {string.Join("/", _options.Extensions)}, or directly in the folder with RootImages = Skip): {string.Join(", ", skipped.Take(10))}{(skipped.Count > 10 ? ", ..." : "")}.");
        }

        if (tally.UnlabelledImages > 0)
        {
            tally.Warnings.Add($"{tally.UnlabelledImages} image(s) lie directly in the folder, so they have no label folder; they are written as unlabelled images.");
        }

        return tally.ToResult();
    }
}
