using Rekognition.Training.Losses;

namespace Rekognition.Training.Data;

/// <summary>
/// Classification batches: each sample's image from an <see cref="ISampleSource"/> and its class
/// (softmax cross-entropy's labels input) or its 0/1 label row (sigmoid BCE's targets input).
/// </summary>
public sealed class LabeledSampleBatches : IBatchSource
{
    private readonly ISampleSource _samples;
    private readonly SampleLabels _labels;

    /// <summary>Pairs <paramref name="samples"/> with <paramref name="labels"/> (one entry per sample).</summary>
    public LabeledSampleBatches(ISampleSource samples, SampleLabels labels)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(labels);
        var labelled = labels.Classes?.Length ?? (labels.Targets!.Length / labels.LabelCount);
        if (labelled != samples.Count)
        {
            throw new ArgumentException($"{labelled} labels for {samples.Count} samples.", nameof(labels));
        }

        (_samples, _labels) = (samples, labels);
    }

    /// <inheritdoc />
    public int Count => _samples.Count;

    /// <inheritdoc />
    public void Fill(ReadOnlySpan<int> samples, TrainingBatch batch, bool augment, Random random)
    {
        var k = _labels.LabelCount;
        var classes = _labels.Classes is null ? Span<long>.Empty : batch.Int64s(SoftmaxCrossEntropyLoss.LabelsInput);
        var targets = _labels.Targets is null ? Span<float>.Empty : batch.Floats(SigmoidBinaryCrossEntropyLoss.TargetsInput);
        for (var s = 0; s < samples.Length; s++)
        {
            var i = samples[s];
            _samples.Write(i, batch.Image(s), augment, random);
            if (_labels.Classes is { } c)
            {
                classes[s] = c[i];
            }
            else
            {
                _labels.Targets.AsSpan(i * k, k).CopyTo(targets.Slice(s * k, k));
            }
        }
    }
}
