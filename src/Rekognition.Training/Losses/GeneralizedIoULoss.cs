using Rekognition.Training.Graphs;

namespace Rekognition.Training.Losses;

/// <summary>
/// GIoU loss 1 − GIoU between predicted boxes (the output, [..., 4] as x1, y1, x2, y2) and target boxes of the
/// same shape, one loss per box; the optional weights input has the boxes' shape [...] (0 masks a box out).
/// With <see cref="LossReduction.Mean"/> or <see cref="LossReduction.Sum"/> it matches torchvision's
/// generalized_box_iou_loss (ε = 1e-7).
/// </summary>
internal sealed class GeneralizedIoULoss : TargetLoss
{
    /// <summary>Creates the loss.</summary>
    public GeneralizedIoULoss(LossReduction reduction = LossReduction.Mean, bool weighted = false)
        : base(reduction, weighted)
    {
    }

    internal override string PerElement(GraphEmitter emit, string output, string targets, long[] outputShape)
    {
        if (outputShape.Length == 0 || outputShape[^1] != 4)
        {
            throw new NotSupportedException($"The GIoU loss needs boxes [..., 4]; the output has shape [{string.Join(", ", outputShape)}].");
        }

        return LossTerms.GeneralizedIoULoss(emit, output, targets);
    }

    internal override long[] ElementShape(long[] outputShape) => outputShape[..^1];
}
