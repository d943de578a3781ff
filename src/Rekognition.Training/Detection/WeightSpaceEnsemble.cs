namespace Rekognition.Training.Detection;

/// <summary>
/// Weight-space ensembling of a pretrained detector and its fine-tuned self (WiSE-FT, Wortsman et al. 2022): every
/// value that has a pretrained counterpart of the same length becomes (1 − a)·pretrained + a·fine-tuned, so the
/// exported model can keep some of what the detector learnt from its own, larger data set. Freshly started class rows
/// (labels that are none of the detector's classes) have no pretrained counterpart, only a random start, and keep
/// their fine-tuned values; so does anything else without a pretrained counterpart.
/// <para>
/// Batch-norm running means and variances are interpolated the same way (the reference implementation mixes the whole
/// state, buffers included): both ends are then exact (a = 0 is the pretrained detector, a = 1 the fine-tuned one),
/// and in between the statistics move with the weights they normalise. Recomputing them for the mixed weights on
/// training images would cost a pass over the data and lose the exact a = 0 end; the detectors this trainer fine-tunes
/// are exported with their batch norms folded, so they seldom have any.
/// </para>
/// </summary>
internal sealed class WeightSpaceEnsemble
{
    private readonly IReadOnlyDictionary<string, float[]> _pretrained;
    private readonly IReadOnlyDictionary<string, bool[]> _freshRows;

    /// <summary>
    /// The pretrained values by name (parameters and running statistics, as the fine-tuning started), and for the class
    /// convolutions, which of their output rows started fresh (<see cref="ClassRowStart.FreshRows"/>).
    /// </summary>
    public WeightSpaceEnsemble(IReadOnlyDictionary<string, float[]> pretrained, IReadOnlyDictionary<string, bool[]> freshRows)
    {
        ArgumentNullException.ThrowIfNull(pretrained);
        ArgumentNullException.ThrowIfNull(freshRows);
        (_pretrained, _freshRows) = (pretrained, freshRows);
    }

    /// <summary>Throws when <paramref name="fineTunedWeight"/> is not a weight in [0, 1]; returns it otherwise.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It is below 0, above 1 or not a number.</exception>
    public static float Checked(float fineTunedWeight, string name) =>
        fineTunedWeight is >= 0f and <= 1f
            ? fineTunedWeight
            : throw new ArgumentOutOfRangeException(name, fineTunedWeight,
                "The fine-tuned weight must be in [0, 1]: 0 exports the pretrained detector, 1 the fine-tuned one, and values between mix their weights.");

    /// <summary>
    /// The mixed values: (1 − <paramref name="fineTunedWeight"/>)·pretrained + <paramref name="fineTunedWeight"/>·fine-tuned
    /// where a pretrained counterpart exists, the fine-tuned values elsewhere (new arrays; the inputs are not changed).
    /// At 1 the fine-tuned values are returned as they are.
    /// </summary>
    public Dictionary<string, float[]> Mix(IReadOnlyDictionary<string, float[]> fineTuned, float fineTunedWeight)
    {
        ArgumentNullException.ThrowIfNull(fineTuned);
        var a = Checked(fineTunedWeight, nameof(fineTunedWeight));
        var mixed = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, tuned) in fineTuned)
        {
            if (a == 1f || !_pretrained.TryGetValue(name, out var start) || start.Length != tuned.Length)
            {
                mixed[name] = tuned;
                continue;
            }

            var values = new float[tuned.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ((1f - a) * start[i]) + (a * tuned[i]);
            }

            if (_freshRows.TryGetValue(name, out var fresh) && fresh.Length > 0 && tuned.Length % fresh.Length == 0)
            {
                // A fresh row's start was random, not learnt: it keeps what fine-tuning made of it.
                var row = tuned.Length / fresh.Length;
                for (var r = 0; r < fresh.Length; r++)
                {
                    if (fresh[r])
                    {
                        tuned.AsSpan(r * row, row).CopyTo(values.AsSpan(r * row, row));
                    }
                }
            }

            mixed[name] = values;
        }

        return mixed;
    }
}
