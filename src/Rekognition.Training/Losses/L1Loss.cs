using Rekognition.Training.Graphs;

namespace Rekognition.Training.Losses;

/// <summary>|output − targets| elementwise, reduced as <see cref="TargetLoss.Reduction"/>.</summary>
internal sealed class L1Loss : TargetLoss
{
    /// <summary>Creates the loss.</summary>
    public L1Loss(LossReduction reduction = LossReduction.Mean, bool weighted = false)
        : base(reduction, weighted)
    {
    }

    internal override string PerElement(GraphEmitter emit, string output, string targets, long[] outputShape) =>
        LossTerms.L1(emit, output, targets);
}
