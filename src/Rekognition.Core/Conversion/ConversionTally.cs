namespace Rekognition.Core.Conversion;

/// <summary>Counts kept while a converter writes; turned into a <see cref="ManifestConversionResult"/> at the end.</summary>
internal sealed class ConversionTally
{
    private readonly Dictionary<string, int> _labelCounts = new(StringComparer.Ordinal);

    public int Images { get; private set; }

    public int UnlabelledImages { get; private set; }

    public int ImageLabels { get; private set; }

    public int BoundingBoxes { get; private set; }

    public List<string> Warnings { get; } = new();

    public IReadOnlyDictionary<string, int> LabelCounts => _labelCounts;

    public void Line(bool labelled)
    {
        Images++;
        if (!labelled)
        {
            UnlabelledImages++;
        }
    }

    public void ImageLabel(string name)
    {
        ImageLabels++;
        Count(name);
    }

    public void Box(string name)
    {
        BoundingBoxes++;
        Count(name);
    }

    public ManifestConversionResult ToResult() => new()
    {
        Images = Images,
        UnlabelledImages = UnlabelledImages,
        Labels = _labelCounts.Count,
        ImageLabels = ImageLabels,
        BoundingBoxes = BoundingBoxes,
        LabelCounts = new Dictionary<string, int>(_labelCounts, StringComparer.Ordinal),
        Warnings = Warnings.ToArray(),
    };

    private void Count(string name)
    {
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_labelCounts, name, out _)++;
    }
}
