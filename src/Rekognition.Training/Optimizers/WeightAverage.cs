namespace Rekognition.Training.Optimizers;

/// <summary>
/// An exponential moving average of the parameters, updated after each step; the exported model takes the average,
/// which is steadier than the last step's weights when a small dataset makes each step noisy. The decay ramps up
/// over the first steps ((1 + t) / (10 + t), capped at the decay) so the average does not lag behind its start.
/// </summary>
internal sealed class WeightAverage
{
    private readonly float[][] _average;
    private readonly float _decay;
    private long _updates;

    /// <summary>Starts the average at <paramref name="parameters"/> (copied).</summary>
    public WeightAverage(IReadOnlyList<float[]> parameters, float decay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (decay is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(decay), "The decay must be in [0, 1).");
        }

        _average = parameters.Select(p => (float[])p.Clone()).ToArray();
        _decay = decay;
    }

    /// <summary>The averaged parameters, in the order they were given.</summary>
    public IReadOnlyList<float[]> Values => _average;

    /// <summary>How many steps have been folded in.</summary>
    public long Updates => _updates;

    /// <summary>Puts back an average saved with <see cref="Values"/> and <see cref="Updates"/> (a checkpoint's).</summary>
    /// <exception cref="InvalidDataException">The saved values do not have this average's shapes.</exception>
    public void Restore(IReadOnlyList<float[]> values, long updates)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != _average.Length || values.Where((v, i) => v.Length != _average[i].Length).Any())
        {
            throw new InvalidDataException("The saved weight average does not have the parameters' shapes.");
        }

        for (var i = 0; i < _average.Length; i++)
        {
            values[i].AsSpan().CopyTo(_average[i]);
        }

        _updates = updates;
    }

    /// <summary>Folds the current <paramref name="parameters"/> into the average.</summary>
    public void Update(float[][] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _updates++;
        var d = Math.Min(_decay, (1f + _updates) / (10f + _updates));
        for (var i = 0; i < _average.Length; i++)
        {
            var average = _average[i].AsSpan();
            var current = parameters[i].AsSpan();
            for (var j = 0; j < average.Length; j++)
            {
                average[j] = (d * average[j]) + ((1 - d) * current[j]);
            }
        }
    }
}
