using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Losses;

/// <summary>
/// A loss on the model's output tensor, emitted into the training graph together with its gradient
/// with respect to that tensor: hand-written where a closed form is cheaper and more accurate than chaining
/// (cross-entropy), or derived from the loss's own nodes by <see cref="DifferentiableLoss"/>.
/// </summary>
internal abstract class TrainingLoss
{
    /// <summary>Emits the scalar loss and the output's gradient; declares the inputs (labels) it reads.</summary>
    internal abstract LossNodes Emit(GraphEmitter emit, string output, long[] outputShape);
}

/// <summary>What a loss added: the scalar loss, the gradient of the model output, and the label inputs to bind.</summary>
internal sealed record LossNodes(string Loss, string OutputGradient, IReadOnlyList<ValueInfoProto> Inputs);
