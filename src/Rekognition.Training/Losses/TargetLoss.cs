using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Losses;

/// <summary>
/// A differentiable loss comparing the model output with a float targets input of the same shape
/// (<see cref="TargetsInput"/>), elementwise or per box, with an optional weights input
/// (<see cref="WeightsInput"/>, one weight per loss element: 0 masks an element out) and a reduction; with
/// <see cref="LossReduction.SumOverNormalizer"/> the scalar input <see cref="NormalizerInput"/> divides the sum.
/// </summary>
internal abstract class TargetLoss : DifferentiableLoss
{
    /// <summary>The name of the targets input (the output's shape).</summary>
    public const string TargetsInput = "targets";

    /// <summary>The name of the optional per-element weights input.</summary>
    public const string WeightsInput = "weights";

    /// <summary>The name of the scalar normalizer input (for <see cref="LossReduction.SumOverNormalizer"/>).</summary>
    public const string NormalizerInput = "normalizer";

    /// <summary>Creates the loss with a reduction and, if <paramref name="weighted"/>, a weights input.</summary>
    protected TargetLoss(LossReduction reduction, bool weighted)
    {
        Reduction = reduction;
        Weighted = weighted;
    }

    /// <summary>How the per-element loss is reduced.</summary>
    public LossReduction Reduction { get; }

    /// <summary>Whether the loss reads a per-element weights input.</summary>
    public bool Weighted { get; }

    /// <summary>Emits the per-element loss of <paramref name="output"/> against <paramref name="targets"/>.</summary>
    internal abstract string PerElement(GraphEmitter emit, string output, string targets, long[] outputShape);

    /// <summary>The shape of the per-element loss (and of the weights), from the output's shape.</summary>
    internal virtual long[] ElementShape(long[] outputShape) => outputShape;

    internal sealed override string EmitForward(GraphEmitter emit, string output, long[] outputShape, List<ValueInfoProto> inputs)
    {
        inputs.Add(OnnxTensors.ValueInfo(TargetsInput, OnnxTensors.Float, outputShape));
        var perElement = PerElement(emit, output, TargetsInput, outputShape);
        string? weights = null;
        if (Weighted)
        {
            inputs.Add(OnnxTensors.ValueInfo(WeightsInput, OnnxTensors.Float, ElementShape(outputShape)));
            weights = WeightsInput;
        }

        string? normalizer = null;
        if (Reduction == LossReduction.SumOverNormalizer)
        {
            inputs.Add(OnnxTensors.ValueInfo(NormalizerInput, OnnxTensors.Float, Array.Empty<long>()));
            normalizer = NormalizerInput;
        }

        return LossTerms.Reduce(emit, perElement, Reduction, weights, normalizer);
    }
}
