namespace Rekognition.Training.Data;

/// <summary>
/// Training samples as whole steps: writes the chosen samples' images and loss inputs into a
/// <see cref="TrainingBatch"/>. One call per batch, on a worker thread; a source may spread the
/// samples of a batch over more threads itself.
/// </summary>
internal interface IBatchSource
{
    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>Writes samples <paramref name="samples"/> (one per batch slot, in order) into <paramref name="batch"/>.</summary>
    void Fill(ReadOnlySpan<int> samples, TrainingBatch batch, bool augment, Random random);

    /// <summary>Tells the source the 0-based epoch the next <see cref="Fill"/> calls belong to (a schedule of augmentations may depend on it).</summary>
    void BeginEpoch(int epoch)
    {
    }
}
