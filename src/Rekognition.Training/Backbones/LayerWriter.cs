using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Backbones;

/// <summary>
/// Writes conv, batch-norm and linear layers by tensor name into a graph, with their parameters as initializers
/// initialised as PyTorch does by default (uniform ±1/√fan-in; He-uniform for convs followed by batch norm). The
/// one place layers get their parameters, for the feed-forward <see cref="NetworkBuilder"/> and the branching detector.
/// </summary>
internal sealed class LayerWriter
{
    private readonly Random _random;
    private readonly string _prefix;
    private readonly List<string> _trainable = new();
    private int _layer;

    /// <summary>Writes into <paramref name="graph"/>, parameter names starting with <paramref name="prefix"/>.</summary>
    public LayerWriter(GraphProto graph, int seed, string prefix = "")
    {
        Graph = graph;
        Emit = new GraphEmitter(graph);
        _random = new Random(seed);
        _prefix = prefix;
    }

    /// <summary>The graph being written.</summary>
    public GraphProto Graph { get; }

    /// <summary>Where nodes go.</summary>
    public GraphEmitter Emit { get; }

    /// <summary>The trainable initializers, in creation order.</summary>
    public IReadOnlyList<string> Trainable => _trainable;

    /// <summary>A 2-D convolution with a square kernel; <paramref name="initialBias"/> replaces the random bias, <paramref name="weightScale"/> shrinks the weights' range.</summary>
    public string Conv(string x, int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0, int groups = 1, bool bias = true, bool heInit = false,
        float[]? initialBias = null, float weightScale = 1f)
    {
        var name = $"{_prefix}conv{++_layer}";
        var fanIn = inChannels / groups * kernel * kernel;
        var bound = (heInit ? Math.Sqrt(6.0 / fanIn) : 1.0 / Math.Sqrt(fanIn)) * weightScale;
        var inputs = new List<string> { x, Parameter($"{name}.weight", new long[] { outChannels, inChannels / groups, kernel, kernel }, bound) };
        if (bias)
        {
            inputs.Add(initialBias is null
                ? Parameter($"{name}.bias", new long[] { outChannels }, 1.0 / Math.Sqrt(fanIn))
                : Constant($"{name}.bias", initialBias, new long[] { outChannels }, trainable: true));
        }

        return Emit.Op("Conv", inputs.ToArray(),
            OnnxAttributes.Ints("kernel_shape", new long[] { kernel, kernel }),
            OnnxAttributes.Ints("strides", new long[] { stride, stride }),
            OnnxAttributes.Ints("pads", new long[] { padding, padding, padding, padding }),
            OnnxAttributes.Int("group", groups));
    }

    /// <summary>Batch normalization of the last layer's output (γ=1, β=0, running mean 0 and variance 1), PyTorch's momentum 0.1.</summary>
    public string BatchNorm(string x, int channels)
    {
        var name = $"{_prefix}bn{_layer}";
        var c = channels;
        var gamma = Constant($"{name}.weight", Enumerable.Repeat(1f, c).ToArray(), new long[] { c }, trainable: true);
        var beta = Constant($"{name}.bias", new float[c], new long[] { c }, trainable: true);
        var mean = Constant($"{name}.running_mean", new float[c], new long[] { c }, trainable: false);
        var variance = Constant($"{name}.running_var", Enumerable.Repeat(1f, c).ToArray(), new long[] { c }, trainable: false);
        return Emit.Op("BatchNormalization", new[] { x, gamma, beta, mean, variance },
            OnnxAttributes.Float("epsilon", 1e-5f), OnnxAttributes.Float("momentum", 0.9f));
    }

    /// <summary>A fully connected layer (Gemm with the weight stored [out, in], as PyTorch's Linear).</summary>
    public string Linear(string x, int inFeatures, int outFeatures)
    {
        var name = $"{_prefix}fc{++_layer}";
        var bound = 1.0 / Math.Sqrt(inFeatures);
        var w = Parameter($"{name}.weight", new long[] { outFeatures, inFeatures }, bound);
        var b = Parameter($"{name}.bias", new long[] { outFeatures }, bound);
        return Emit.Op("Gemm", new[] { x, w, b }, OnnxAttributes.Int("transB", 1));
    }

    private string Parameter(string name, long[] shape, double bound)
    {
        var count = (int)shape.Aggregate(1L, (p, d) => p * d);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(((_random.NextDouble() * 2) - 1) * bound);
        }

        return Constant(name, values, shape, trainable: true);
    }

    private string Constant(string name, float[] values, long[] shape, bool trainable)
    {
        Graph.Initializer.Add(OnnxTensors.FromFloats(name, values, shape));
        if (trainable)
        {
            _trainable.Add(name);
        }

        return name;
    }
}
