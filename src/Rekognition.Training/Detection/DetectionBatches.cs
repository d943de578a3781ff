using System.Numerics.Tensors;
using Rekognition.Core.Inference;
using Rekognition.Imaging.Decoding;
using Rekognition.Training.Data;

namespace Rekognition.Training.Detection;

/// <summary>A detection training image: its file and its objects (label index, box as ratios of the image).</summary>
internal sealed record DetectionSample(string Path, IReadOnlyList<(int Label, NormalizedBox Box)> Objects);

/// <summary>
/// Detection batches streamed from disk: each slot's image is decoded (at a reduced scale where the
/// decoder can), placed by <see cref="BoxAugmentation"/>, and its moved boxes assigned to grid locations by
/// <see cref="DetectionTargets"/>; the batch's normaliser is one over its positive locations. Memory is
/// bounded by the batch, not the dataset. With <see cref="Mixing"/>, an augmented image may instead be a mosaic of it
/// and three others drawn at random, and may have another image blended over it (mixup), until the schedule's last epochs.
/// </summary>
internal sealed class DetectionBatches : IBatchSource
{
    /// <summary>Most objects one image may hold after augmentation (the service's limit is 50 per image).</summary>
    public const int MaxObjects = 256;

    private readonly IReadOnlyList<DetectionSample> _samples;
    private readonly IImageDecoder _decoder;
    private readonly BoxAugmentation _augmentation;
    private readonly DetectionTargets _targets;
    private readonly DetectionGrid _grid;
    private readonly int _labels;
    private readonly Func<string, Stream>? _open;

    // The training loop fills one batch at a time, so one scratch list of moved boxes and one mixup image serve every call.
    private readonly InputBox[] _moved = new InputBox[MaxObjects];
    private float[]? _blend;
    private int _epoch;

    /// <summary>Creates the source.</summary>
    /// <param name="samples">The images and their boxes.</param>
    /// <param name="decoder">The image decoder.</param>
    /// <param name="augmentation">How images and boxes are moved.</param>
    /// <param name="targets">Writes the grid targets.</param>
    /// <param name="grid">The detector's grid.</param>
    /// <param name="labels">How many labels there are.</param>
    /// <param name="open">Opens an image file (the job's, confined to the store's roots); null opens it plainly.</param>
    public DetectionBatches(IReadOnlyList<DetectionSample> samples, IImageDecoder decoder, BoxAugmentation augmentation, DetectionTargets targets, DetectionGrid grid, int labels, Func<string, Stream>? open = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        (_samples, _decoder, _augmentation, _targets, _grid, _labels, _open) = (samples, decoder, augmentation, targets, grid, labels, open);
    }

    /// <summary>A dynamic assignment from predictions, used instead of the fixed one when set.</summary>
    public SimOtaAssignment? Assignment { get; init; }

    /// <summary>Mosaic and mixup of augmented images (null: none).</summary>
    public ImageMixingOptions? Mixing { get; init; }

    /// <summary>Epochs the training runs, so mixing stops for its last ones.</summary>
    public int Epochs { get; init; }

    /// <inheritdoc />
    public int Count => _samples.Count;

    /// <inheritdoc />
    public void BeginEpoch(int epoch) => _epoch = epoch;

    /// <inheritdoc />
    public void Fill(ReadOnlySpan<int> samples, TrainingBatch batch, bool augment, Random random)
    {
        var count = _grid.Count;
        var positive = batch.Floats(DetectionLoss.PositiveInput);
        var boxes = batch.Floats(DetectionLoss.BoxesInput);
        var classes = batch.Floats(DetectionLoss.ClassesInput);
        var moved = _moved;
        var positives = 0;
        var mixing = augment && Mixing is { } m && m.OnIn(_epoch, Epochs) ? Mixing : null;
        for (var s = 0; s < samples.Length; s++)
        {
            var sample = _samples[samples[s]];
            var kept = mixing is not null && random.NextSingle() < mixing.MosaicProbability
                ? Mosaic(samples[s], batch.Image(s), moved, random)
                : Place(sample, batch.Image(s), moved, augment, random);
            if (mixing is not null && random.NextSingle() < mixing.MixupProbability)
            {
                // Half of each image, the boxes of both.
                var blend = _blend ??= new float[batch.Image(s).Length];
                kept += Place(_samples[random.Next(_samples.Count)], blend, moved.AsSpan(kept), augment: true, random);
                TensorPrimitives.Add(batch.Image(s), blend, batch.Image(s));
                TensorPrimitives.Multiply(batch.Image(s), 0.5f, batch.Image(s));
            }

            positives += Assignment is { } assignment
                ? assignment.Write(batch.Image(s), moved.AsSpan(0, kept), positive.Slice(s * count, count), boxes.Slice(s * count * 4, count * 4),
                    classes.Slice(s * count * _labels, count * _labels))
                : _targets.Write(moved.AsSpan(0, kept), positive.Slice(s * count, count), boxes.Slice(s * count * 4, count * 4),
                    classes.Slice(s * count * _labels, count * _labels));
        }

        batch.Floats(DetectionLoss.NormalizerInput)[0] = 1f / Math.Max(1, positives);
    }

    private int Place(DetectionSample sample, Span<float> destination, Span<InputBox> boxes, bool augment, Random random)
    {
        using var image = ImageFiles.Decode(_decoder, sample.Path, _grid.Width * 3 / 2, _grid.Height * 3 / 2, _open);
        return _augmentation.Write(image.Pixels, image.Width, image.Height, image.RowBytes, sample.Objects, destination, boxes, augment, random);
    }

    // The sample in the first quarter, three drawn at random in the others.
    private int Mosaic(int first, Span<float> destination, Span<InputBox> boxes, Random random)
    {
        var centre = _augmentation.MosaicCentre(random);
        var kept = 0;
        for (var tile = 0; tile < 4; tile++)
        {
            var sample = _samples[tile == 0 ? first : random.Next(_samples.Count)];
            using var image = ImageFiles.Decode(_decoder, sample.Path, _grid.Width * 3 / 4, _grid.Height * 3 / 4, _open);
            kept += _augmentation.WriteTile(tile, centre, image.Pixels, image.Width, image.Height, image.RowBytes, sample.Objects, destination, boxes[kept..], random);
        }

        return kept;
    }
}
