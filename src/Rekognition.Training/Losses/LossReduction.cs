namespace Rekognition.Training.Losses;

/// <summary>How a per-element loss becomes the scalar that is minimized.</summary>
internal enum LossReduction
{
    /// <summary>The mean over elements; with per-element weights, Σ w·l / Σ w (0 when every weight is 0).</summary>
    Mean,

    /// <summary>The (weighted) sum over elements.</summary>
    Sum,

    /// <summary>The (weighted) sum divided by a scalar input, such as the number of positives (guarded against 0).</summary>
    SumOverNormalizer,
}
