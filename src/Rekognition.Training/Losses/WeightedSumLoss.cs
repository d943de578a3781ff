using Rekognition.Training.Graphs;

namespace Rekognition.Training.Losses;

/// <summary>
/// Σ output · weights with the weights fed as input <see cref="WeightsInput"/>: its gradient is the weights
/// themselves, which makes any op's backward checkable against finite differences.
/// </summary>
internal sealed class WeightedSumLoss : TrainingLoss
{
    public const string WeightsInput = "loss_weights";

    internal override LossNodes Emit(GraphEmitter emit, string output, long[] outputShape)
    {
        var loss = emit.Op("ReduceSum", new[] { emit.Mul(output, WeightsInput) }, OnnxAttributes.Int("keepdims", 0));
        return new LossNodes(loss, WeightsInput, new[] { OnnxTensors.ValueInfo(WeightsInput, OnnxTensors.Float, outputShape) });
    }
}
