using Rekognition.Training.Graphs;

namespace Rekognition.Training.Losses;

/// <summary>
/// Multi-class cross-entropy on logits [N, K] with integer labels [N] (input <see cref="LabelsInput"/>,
/// int64), averaged over the batch, with optional label smoothing: the target puts 1−ε on the label and ε/K on every class.
/// Gradient: (softmax − target) / N.
/// </summary>
internal sealed class SoftmaxCrossEntropyLoss : TrainingLoss
{
    /// <summary>The name of the labels input.</summary>
    public const string LabelsInput = "labels";

    /// <summary>Creates the loss with label smoothing ε (0 for none).</summary>
    public SoftmaxCrossEntropyLoss(float labelSmoothing = 0f)
    {
        if (labelSmoothing is < 0f or >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), "Label smoothing must be in [0, 1).");
        }

        LabelSmoothing = labelSmoothing;
    }

    /// <summary>The label smoothing ε.</summary>
    public float LabelSmoothing { get; }

    internal override LossNodes Emit(GraphEmitter emit, string output, long[] outputShape)
    {
        if (outputShape.Length != 2)
        {
            throw new NotSupportedException($"Cross-entropy needs logits [N, K]; the output has rank {outputShape.Length}.");
        }

        var (n, k) = (outputShape[0], outputShape[1]);
        var e = emit;
        var onehot = e.Op("OneHot", new[] { LabelsInput, e.Int64s(k), e.Floats("onehot_values", new[] { LabelSmoothing / k, 1f - LabelSmoothing + (LabelSmoothing / k) }, new long[] { 2 }) },
            OnnxAttributes.Int("axis", -1));
        var logProbabilities = e.Op("LogSoftmax", new[] { output }, OnnxAttributes.Int("axis", 1));
        var perSample = e.ReduceSum(e.Mul(onehot, logProbabilities), new long[] { 1 }, keepDims: false);
        var loss = e.Op("Neg", new[] { e.Op("ReduceMean", new[] { perSample }, OnnxAttributes.Int("keepdims", 0)) });
        var probabilities = e.Op("Exp", new[] { logProbabilities });
        var gradient = e.Mul(e.Sub(probabilities, onehot), e.Scalar(1f / n));
        return new LossNodes(loss, gradient, new[] { OnnxTensors.ValueInfo(LabelsInput, OnnxTensors.Int64, new[] { n }) });
    }
}
