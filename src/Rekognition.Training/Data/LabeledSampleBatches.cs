using Rekognition.Training.Losses;

namespace Rekognition.Training.Data;

/// <summary>
/// Classification batches: each sample's image from an <see cref="ISampleSource"/> and its class
/// (softmax cross-entropy's labels input) or its 0/1 label row (sigmoid BCE's targets input). Images of at
/// least <see cref="ParallelElements"/> floats are written on several worker threads, one slot each; each slot
/// then draws from its own generator, seeded in slot order from the batch's, so the batch does not depend on how
/// the threads interleave. Smaller samples are written in slot order on one thread, drawing from the batch's generator.
/// </summary>
internal sealed class LabeledSampleBatches : IBatchSource
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

    /// <summary>The smallest image, in floats, whose slots are written in parallel (smaller ones are cheaper in one thread).</summary>
    public const int ParallelElements = 1024;

    /// <inheritdoc />
    public int Count => _samples.Count;

    /// <inheritdoc />
    public void Fill(ReadOnlySpan<int> samples, TrainingBatch batch, bool augment, Random random)
    {
        var k = _labels.LabelCount;
        var classes = _labels.Classes is null ? Span<long>.Empty : batch.Int64s(SoftmaxCrossEntropyLoss.LabelsInput);
        var targets = _labels.Targets is null ? Span<float>.Empty : batch.Floats(SigmoidBinaryCrossEntropyLoss.TargetsInput);
        WriteImages(samples, batch, augment, random);
        for (var s = 0; s < samples.Length; s++)
        {
            var i = samples[s];
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

    private void WriteImages(ReadOnlySpan<int> samples, TrainingBatch batch, bool augment, Random random)
    {
        var elements = _samples.SampleShape.Aggregate(1, (p, d) => p * d);
        if (elements < ParallelElements || samples.Length == 1)
        {
            for (var s = 0; s < samples.Length; s++)
            {
                _samples.Write(samples[s], batch.Image(s), augment, random);
            }

            return;
        }

        var seeds = new int[samples.Length];
        for (var s = 0; s < seeds.Length; s++)
        {
            seeds[s] = random.Next();
        }

        var chosen = samples.ToArray();
        Parallel.For(0, chosen.Length, s => _samples.Write(chosen[s], batch.Image(s), augment, new Random(seeds[s])));
    }
}
