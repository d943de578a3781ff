namespace Rekognition.Core.Conversion;

/// <summary>What a conversion wrote: counts, and warnings about input that was kept but looks wrong.</summary>
public record ManifestConversionResult
{
    /// <summary>Manifest lines written (one per image).</summary>
    public int Images { get; init; }

    /// <summary>Lines written with only <c>source-ref</c> (images without any label).</summary>
    public int UnlabelledImages { get; init; }

    /// <summary>Distinct label names written.</summary>
    public int Labels { get; init; }

    /// <summary>Image-level labels written, over all lines (a multi-label line counts each label).</summary>
    public int ImageLabels { get; init; }

    /// <summary>Bounding boxes written, over all lines.</summary>
    public int BoundingBoxes { get; init; }

    /// <summary>How many lines (image-level) or boxes (object location) each label got, by label name.</summary>
    public IReadOnlyDictionary<string, int> LabelCounts { get; init; } = new Dictionary<string, int>();

    /// <summary>Warnings, each saying what was found and what was done about it.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();
}
