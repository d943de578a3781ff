using Rekognition.Onnx.Ir;
using Rekognition.Training.Gradients;

namespace Rekognition.Training.Graphs;

/// <summary>
/// A training graph: one ONNX model that takes the batch, the labels and every trainable parameter as
/// inputs and outputs the loss, each parameter's gradient and any batch statistics.
/// </summary>
internal sealed class TrainingGraph
{
    internal TrainingGraph(ModelProto model, IReadOnlyList<TrainableParameter> parameters, string lossOutput,
        IReadOnlyList<string> dataInputs, IReadOnlyList<string> labelInputs, IReadOnlyList<BatchNormStatistics> batchNorms, IReadOnlyList<DropoutMask> dropoutMasks, int batchSize)
    {
        Model = model;
        Parameters = parameters;
        LossOutput = lossOutput;
        DataInputs = dataInputs;
        LabelInputs = labelInputs;
        BatchNorms = batchNorms;
        DropoutMasks = dropoutMasks;
        BatchSize = batchSize;
    }

    /// <summary>The ONNX model to run in an InferenceSession.</summary>
    public ModelProto Model { get; }

    /// <summary>The trainable parameters, each a graph input with a gradient output.</summary>
    public IReadOnlyList<TrainableParameter> Parameters { get; }

    /// <summary>The scalar loss output.</summary>
    public string LossOutput { get; }

    /// <summary>The model's own inputs (the image batch), at the fixed batch size.</summary>
    public IReadOnlyList<string> DataInputs { get; }

    /// <summary>The loss's inputs (labels or targets).</summary>
    public IReadOnlyList<string> LabelInputs { get; }

    /// <summary>Batch-norm layers whose running statistics follow the batch statistics outputs.</summary>
    public IReadOnlyList<BatchNormStatistics> BatchNorms { get; }

    /// <summary>Dropout mask inputs to fill with a fresh random mask before each step.</summary>
    public IReadOnlyList<DropoutMask> DropoutMasks { get; }

    /// <summary>The batch size every input is fixed at.</summary>
    public int BatchSize { get; }
}

/// <summary>A trainable parameter: its input name, its gradient's output name, its shape and its initial values.</summary>
/// <param name="Name">The parameter (graph input) name, as in the inference graph's initializer.</param>
/// <param name="GradientName">The output holding dLoss/dParameter.</param>
/// <param name="Shape">The parameter's shape.</param>
/// <param name="InitialValues">The values the inference graph held.</param>
internal sealed record TrainableParameter(string Name, string GradientName, long[] Shape, float[] InitialValues);
