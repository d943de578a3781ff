using Rekognition.Training.Graphs;

namespace Rekognition.Training.Losses;

/// <summary>
/// Building blocks of differentiable losses: each emits forward nodes from tensor names and returns the
/// name of a per-element (or per-box) loss tensor, to be masked, weighted and reduced by the caller.
/// Every division is guarded with a small ε so empty masks and degenerate boxes give 0, never NaN.
/// </summary>
internal static class LossTerms
{
    /// <summary>The ε used to guard divisions (as torchvision's box losses).</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>
    /// Binary cross-entropy of logits against targets in [0, 1], elementwise and broadcasting:
    /// max(z, 0) − z·t + log(1 + e^−|z|), stable for any z.
    /// </summary>
    public static string BinaryCrossEntropyWithLogits(GraphEmitter e, string logits, string targets)
    {
        var softplus = e.Op("Softplus", new[] { e.Op("Neg", new[] { e.Op("Abs", new[] { logits }) }) });
        return e.Add(e.Sub(e.Op("Relu", new[] { logits }), e.Mul(logits, targets)), softplus);
    }

    /// <summary>
    /// Sigmoid focal loss (Lin et al.) elementwise: BCE·(1 − p_t)^γ·α_t with p = σ(z), p_t = p·t + (1 − p)(1 − t)
    /// and α_t = α·t + (1 − α)(1 − t); <paramref name="alpha"/> null leaves out α_t. Soft targets in [0, 1] work
    /// the same way. 1 − p_t is computed as t·σ(−z) + (1 − t)·σ(z), a sum of non-negative terms, so a
    /// fractional γ never sees a rounding-negative base.
    /// </summary>
    public static string SigmoidFocal(GraphEmitter e, string logits, string targets, float? alpha, float gamma)
    {
        if (gamma < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), "The focal γ must be non-negative.");
        }

        var loss = BinaryCrossEntropyWithLogits(e, logits, targets);
        if (gamma > 0)
        {
            var p = e.Op("Sigmoid", new[] { logits });
            var q = e.Op("Sigmoid", new[] { e.Op("Neg", new[] { logits }) });
            var miss = e.Add(e.Mul(targets, q), e.Mul(e.Sub(e.Scalar(1f), targets), p));
            var modulator = gamma == 1f ? miss : e.Op("Pow", new[] { miss, e.Scalar(gamma) });
            loss = e.Mul(loss, modulator);
        }

        if (alpha is { } a)
        {
            // α·t + (1 − α)(1 − t) = (1 − α) + (2α − 1)·t.
            var weight = e.Add(e.Scalar(1f - a), e.Mul(targets, e.Scalar((2f * a) - 1f)));
            loss = e.Mul(loss, weight);
        }

        return loss;
    }

    /// <summary>|prediction − target| elementwise.</summary>
    public static string L1(GraphEmitter e, string prediction, string target) =>
        e.Op("Abs", new[] { e.Sub(prediction, target) });

    /// <summary>
    /// Smooth L1 (Huber divided by β) elementwise: ½d²/β where d = |prediction − target| &lt; β, else d − ½β.
    /// β = 0 is plain L1.
    /// </summary>
    public static string SmoothL1(GraphEmitter e, string prediction, string target, float beta)
    {
        if (beta < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(beta), "Smooth L1's β must be non-negative.");
        }

        var d = L1(e, prediction, target);
        if (beta == 0)
        {
            return d;
        }

        var quadratic = e.Mul(e.Mul(d, d), e.Scalar(0.5f / beta));
        var linear = e.Sub(d, e.Scalar(0.5f * beta));
        return e.Op("Where", new[] { e.Op("Less", new[] { d, e.Scalar(beta) }), quadratic, linear });
    }

    /// <summary>Elements [start, end) of the last axis of <paramref name="x"/> (box parameters, objectness, class logits).</summary>
    public static string LastAxisSlice(GraphEmitter e, string x, int start, int end) =>
        e.Op("Slice", new[] { x, e.Int64s(start), e.Int64s(end), e.Int64s(-1) });

    /// <summary>Coordinate <paramref name="index"/> of boxes [..., 4], as [..., 1].</summary>
    public static string Coordinate(GraphEmitter e, string boxes, int index) => LastAxisSlice(e, boxes, index, index + 1);

    /// <summary>
    /// Generalized IoU of corresponding boxes (x1, y1, x2, y2) in the last axis of size 4 (broadcasting over
    /// the rest), as [...] without that axis: IoU − (C − U)/C with C the smallest enclosing box's area and U
    /// the union's; 1 for identical boxes, towards −1 for far-apart ones. Unions and enclosures are guarded
    /// with ε, so degenerate (zero-area) boxes give finite values.
    /// </summary>
    public static string GeneralizedIoU(GraphEmitter e, string predicted, string target)
    {
        var (px1, py1, px2, py2) = (Coordinate(e, predicted, 0), Coordinate(e, predicted, 1), Coordinate(e, predicted, 2), Coordinate(e, predicted, 3));
        var (tx1, ty1, tx2, ty2) = (Coordinate(e, target, 0), Coordinate(e, target, 1), Coordinate(e, target, 2), Coordinate(e, target, 3));
        string Min(string a, string b) => e.Op("Min", new[] { a, b });
        string Max(string a, string b) => e.Op("Max", new[] { a, b });

        var predictedArea = e.Mul(e.Sub(px2, px1), e.Sub(py2, py1));
        var targetArea = e.Mul(e.Sub(tx2, tx1), e.Sub(ty2, ty1));
        // Overlap extents clamp at 0 for disjoint boxes.
        var overlapWidth = e.Op("Relu", new[] { e.Sub(Min(px2, tx2), Max(px1, tx1)) });
        var overlapHeight = e.Op("Relu", new[] { e.Sub(Min(py2, ty2), Max(py1, ty1)) });
        var intersection = e.Mul(overlapWidth, overlapHeight);
        var union = e.Sub(e.Add(predictedArea, targetArea), intersection);
        var iou = e.Div(intersection, e.Add(union, e.Scalar(Epsilon)));
        var enclosing = e.Mul(e.Sub(Max(px2, tx2), Min(px1, tx1)), e.Sub(Max(py2, ty2), Min(py1, ty1)));
        var giou = e.Sub(iou, e.Div(e.Sub(enclosing, union), e.Add(enclosing, e.Scalar(Epsilon))));
        return e.Op("Squeeze", new[] { giou, e.Int64s(-1) });
    }

    /// <summary>The GIoU loss 1 − GIoU per box, as [...] (see <see cref="GeneralizedIoU"/>).</summary>
    public static string GeneralizedIoULoss(GraphEmitter e, string predicted, string target) =>
        e.Sub(e.Scalar(1f), GeneralizedIoU(e, predicted, target));

    /// <summary>
    /// Reduces a per-element loss to a scalar: the mean (Σ w·l / Σ w with <paramref name="weights"/> of the
    /// loss's shape, 0 when all weights are 0), the sum (Σ w·l), or the sum over the scalar tensor
    /// <paramref name="normalizer"/> (guarded with ε).
    /// </summary>
    public static string Reduce(GraphEmitter e, string perElement, LossReduction reduction, string? weights = null, string? normalizer = null)
    {
        var weighted = weights is null ? perElement : e.Mul(perElement, weights);
        switch (reduction)
        {
            case LossReduction.Mean when weights is null:
                return e.Op("ReduceMean", new[] { perElement }, OnnxAttributes.Int("keepdims", 0));
            case LossReduction.Mean:
                return SafeDivide(e, SumAll(e, weighted), SumAll(e, weights!));
            case LossReduction.Sum:
                return SumAll(e, weighted);
            case LossReduction.SumOverNormalizer:
                return SafeDivide(e, SumAll(e, weighted), normalizer ?? throw new ArgumentNullException(nameof(normalizer)));
            default:
                throw new ArgumentOutOfRangeException(nameof(reduction));
        }
    }

    /// <summary>The sum of every element, as a scalar.</summary>
    public static string SumAll(GraphEmitter e, string x) => e.Op("ReduceSum", new[] { x }, OnnxAttributes.Int("keepdims", 0));

    /// <summary>a / max(b, ε): 0 rather than NaN when a and b are both 0 (an empty mask).</summary>
    public static string SafeDivide(GraphEmitter e, string a, string b) =>
        e.Div(a, e.Op("Max", new[] { b, e.Scalar(Epsilon) }));
}
