namespace Rekognition.Training.Detection;

/// <summary>
/// How training images are mixed (YOLOX's small-data recipe): a mosaic puts four images around a random centre in one
/// frame; a mixup blends a second image half-and-half over the first and keeps both images' boxes. Both are switched
/// off for the last epochs so the network ends on images as inference sees them.
/// </summary>
public sealed record ImageMixingOptions
{
    /// <summary>Probability that a training image is a mosaic of four (0: never).</summary>
    public float MosaicProbability { get; init; }

    /// <summary>Probability that a training image has another blended over it (0: never).</summary>
    public float MixupProbability { get; init; }

    /// <summary>Last epochs trained without mosaic or mixup.</summary>
    public int OffForLastEpochs { get; init; } = 1;

    /// <summary>Whether mixing is on in 0-based <paramref name="epoch"/> of <paramref name="epochs"/>.</summary>
    public bool OnIn(int epoch, int epochs) => (MosaicProbability > 0 || MixupProbability > 0) && epoch < epochs - OffForLastEpochs;
}
