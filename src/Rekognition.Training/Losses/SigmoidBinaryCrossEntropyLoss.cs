using Rekognition.Training.Graphs;

namespace Rekognition.Training.Losses;

/// <summary>
/// Multi-label binary cross-entropy on logits [N, K] with 0/1 float targets [N, K] (input
/// <see cref="TargetsInput"/>), averaged over all N·K entries, computed stably as
/// max(z, 0) − z·t + log(1 + e^−|z|). Gradient: (σ(z) − t) / (N·K).
/// </summary>
internal sealed class SigmoidBinaryCrossEntropyLoss : TrainingLoss
{
    /// <summary>The name of the targets input.</summary>
    public const string TargetsInput = "targets";

    internal override LossNodes Emit(GraphEmitter emit, string output, long[] outputShape)
    {
        var e = emit;
        var count = outputShape.Aggregate(1L, (p, d) => p * d);
        var softplus = e.Op("Softplus", new[] { e.Op("Neg", new[] { e.Op("Abs", new[] { output }) }) });
        var elementwise = e.Add(e.Sub(e.Op("Relu", new[] { output }), e.Mul(output, TargetsInput)), softplus);
        var loss = e.Op("ReduceMean", new[] { elementwise }, OnnxAttributes.Int("keepdims", 0));
        var gradient = e.Mul(e.Sub(e.Op("Sigmoid", new[] { output }), TargetsInput), e.Scalar(1f / count));
        return new LossNodes(loss, gradient, new[] { OnnxTensors.ValueInfo(TargetsInput, OnnxTensors.Float, outputShape) });
    }
}
