using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Gradients;

/// <summary>What an op's gradient rule may ask about the graph: static shapes, constants, which tensors need gradients.</summary>
internal sealed class GradientContext
{
    private readonly Dictionary<string, long[]> _shapes;
    private readonly HashSet<string> _needsGradient;
    private readonly Dictionary<string, TensorProto> _constants;

    public GradientContext(GraphEmitter emit, Dictionary<string, long[]> shapes, HashSet<string> needsGradient, Dictionary<string, TensorProto> constants)
    {
        Emit = emit;
        _shapes = shapes;
        _needsGradient = needsGradient;
        _constants = constants;
    }

    /// <summary>Where nodes go.</summary>
    public GraphEmitter Emit { get; }

    /// <summary>Extra outputs the training graph must expose (batch statistics), with their shapes.</summary>
    public List<(string Name, long[] Shape)> ExtraOutputs { get; } = new();

    /// <summary>Batch-norm running statistics the trainer updates from the batch statistics in <see cref="ExtraOutputs"/>.</summary>
    public List<BatchNormStatistics> BatchNorms { get; } = new();

    /// <summary>Dropout mask inputs the trainer fills before each step.</summary>
    public List<DropoutMask> DropoutMasks { get; } = new();

    /// <summary>
    /// Whether gradient rules may emit this library's C# kernels (<see cref="Kernels.TrainingKernels"/>) for the shapes
    /// those support; the standard-op formulation is emitted otherwise, and always when this is false.
    /// </summary>
    public bool CustomKernels { get; init; }

    /// <summary>The node producing each forward tensor (empty when not given).</summary>
    public IReadOnlyDictionary<string, NodeProto> Producers { get; init; } = new Dictionary<string, NodeProto>();

    /// <summary>How many nodes and graph outputs read each forward tensor (empty when not given).</summary>
    public IReadOnlyDictionary<string, int> Consumers { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// Gradients handed back unmasked by a ReLU whose batch-norm producer's fused kernel applies the mask:
    /// the batch norm's output → the ReLU's output.
    /// </summary>
    public Dictionary<string, string> PendingReluMasks { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether dropout and batch norm run in training mode.</summary>
    public bool TrainingMode { get; init; } = true;

    /// <summary>The static shape of a forward tensor at the training batch size.</summary>
    public long[] Shape(string tensor) =>
        _shapes.TryGetValue(tensor, out var s) ? s : throw new InvalidOperationException($"The shape of {tensor} is not known.");

    /// <summary>Whether a gradient must flow into <paramref name="tensor"/> (it depends on a trainable parameter).</summary>
    public bool NeedsGradient(string tensor) => tensor.Length > 0 && _needsGradient.Contains(tensor);

    /// <summary>Records the shape of a tensor the forward rewrite created.</summary>
    public void SetShape(string tensor, long[] shape) => _shapes[tensor] = shape;

    /// <summary>The value of a constant input (an initializer or a Constant node), or null.</summary>
    public TensorProto? Constant(string tensor) => _constants.TryGetValue(tensor, out var t) ? t : null;

    /// <summary>Number of elements of a shape.</summary>
    public static long Count(long[] shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            n *= d;
        }

        return n;
    }

    /// <summary>
    /// Reduces a gradient of the broadcast shape <paramref name="from"/> to an operand of shape
    /// <paramref name="to"/>: sums the axes broadcasting added or stretched, then reshapes.
    /// </summary>
    public string Unbroadcast(string gradient, long[] from, long[] to)
    {
        if (from.AsSpan().SequenceEqual(to))
        {
            return gradient;
        }

        var axes = new List<long>();
        var offset = from.Length - to.Length;
        for (var i = 0; i < from.Length; i++)
        {
            if (i < offset || (to[i - offset] == 1 && from[i] != 1))
            {
                axes.Add(i);
            }
        }

        var summed = axes.Count > 0 ? Emit.ReduceSum(gradient, axes.ToArray(), keepDims: true) : gradient;
        return Emit.Reshape(summed, to.Length == 0 ? Array.Empty<long>() : to);
    }
}

/// <summary>
/// One batch-norm layer's running statistics: the initializers holding them and the training graph's
/// outputs with the batch's mean and unbiased variance, blended as running = momentum·running + (1−momentum)·batch.
/// </summary>
/// <param name="RunningMean">The running-mean initializer.</param>
/// <param name="RunningVariance">The running-variance initializer.</param>
/// <param name="BatchMean">The graph output with the batch mean.</param>
/// <param name="BatchVariance">The graph output with the batch's unbiased variance.</param>
/// <param name="Momentum">The ONNX momentum (weight of the old running value).</param>
/// <param name="InitialMean">The running mean the inference graph held.</param>
/// <param name="InitialVariance">The running variance the inference graph held.</param>
internal sealed record BatchNormStatistics(string RunningMean, string RunningVariance, string BatchMean, string BatchVariance, float Momentum, float[] InitialMean, float[] InitialVariance);

/// <summary>A dropout layer's mask input: each element 0 with probability <paramref name="Ratio"/>, else 1/(1 − ratio).</summary>
/// <param name="Input">The graph input holding the mask.</param>
/// <param name="Ratio">The drop probability.</param>
internal sealed record DropoutMask(string Input, float Ratio);
