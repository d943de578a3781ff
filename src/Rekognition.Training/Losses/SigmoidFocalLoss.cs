using Rekognition.Training.Graphs;

namespace Rekognition.Training.Losses;

/// <summary>
/// Sigmoid focal loss on logits of any shape against 0/1 or soft targets in [0, 1] (see
/// <see cref="LossTerms.SigmoidFocal"/>): BCE·(1 − p_t)^γ·α_t, reduced as <see cref="TargetLoss.Reduction"/>;
/// with α = 0.25, γ = 2 and <see cref="LossReduction.Sum"/> it is torchvision's sigmoid_focal_loss with reduction "sum".
/// </summary>
internal sealed class SigmoidFocalLoss : TargetLoss
{
    /// <summary>Creates the loss; <paramref name="alpha"/> null leaves out the class-balancing factor.</summary>
    public SigmoidFocalLoss(float? alpha = 0.25f, float gamma = 2f, LossReduction reduction = LossReduction.Mean, bool weighted = false)
        : base(reduction, weighted)
    {
        if (alpha is < 0f or > 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), "The focal α must be in [0, 1].");
        }

        if (gamma < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), "The focal γ must be non-negative.");
        }

        Alpha = alpha;
        Gamma = gamma;
    }

    /// <summary>The weight α of positive targets (1 − α for negatives), or null for none.</summary>
    public float? Alpha { get; }

    /// <summary>The focusing exponent γ (0 is plain binary cross-entropy).</summary>
    public float Gamma { get; }

    internal override string PerElement(GraphEmitter emit, string output, string targets, long[] outputShape) =>
        LossTerms.SigmoidFocal(emit, output, targets, Alpha, Gamma);
}
