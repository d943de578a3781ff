using Rekognition.Training.Graphs;

namespace Rekognition.Training.Losses;

/// <summary>
/// Smooth L1 elementwise (½d²/β below β, d − ½β above, d = |output − targets|), reduced as
/// <see cref="TargetLoss.Reduction"/>; PyTorch's SmoothL1Loss with the same β.
/// </summary>
internal sealed class SmoothL1Loss : TargetLoss
{
    /// <summary>Creates the loss with threshold <paramref name="beta"/> (0 is L1).</summary>
    public SmoothL1Loss(float beta = 1f, LossReduction reduction = LossReduction.Mean, bool weighted = false)
        : base(reduction, weighted)
    {
        if (beta < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(beta), "Smooth L1's β must be non-negative.");
        }

        Beta = beta;
    }

    /// <summary>The threshold between the quadratic and the linear part.</summary>
    public float Beta { get; }

    internal override string PerElement(GraphEmitter emit, string output, string targets, long[] outputShape) =>
        LossTerms.SmoothL1(emit, output, targets, Beta);
}
