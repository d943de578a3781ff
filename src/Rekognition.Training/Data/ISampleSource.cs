namespace Rekognition.Training.Data;

/// <summary>
/// Training samples as input tensors: writes sample i into one batch slot, augmented or not. Writes to
/// distinct slots may run concurrently.
/// </summary>
internal interface ISampleSource
{
    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>The shape of one sample's tensor (channels, height, width).</summary>
    IReadOnlyList<int> SampleShape { get; }

    /// <summary>Writes sample <paramref name="index"/> into <paramref name="destination"/> (one slot of the batch).</summary>
    void Write(int index, Span<float> destination, bool augment, Random random);
}

/// <summary>Labels for a sample source: one class per sample (multi-class) or a 0/1 row per sample (multi-label).</summary>
/// <param name="Classes">The class of each sample, or null for multi-label.</param>
/// <param name="Targets">Row-major [samples, labels] 0/1 targets, or null for multi-class.</param>
/// <param name="LabelCount">Number of labels.</param>
internal sealed record SampleLabels(int[]? Classes, float[]? Targets, int LabelCount)
{
    /// <summary>The same labels <paramref name="times"/> over, one after the other (for rows extracted again, e.g. mirrored).</summary>
    public SampleLabels Repeated(int times)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        return new SampleLabels(
            Classes is null ? null : Enumerable.Repeat(Classes, times).SelectMany(c => c).ToArray(),
            Targets is null ? null : Enumerable.Repeat(Targets, times).SelectMany(t => t).ToArray(),
            LabelCount);
    }
}
