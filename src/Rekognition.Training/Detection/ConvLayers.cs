using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Detection;

/// <summary>
/// Conv, batch-norm and upsampling layers written by tensor name into one graph, for networks that branch
/// and merge (the detector's pyramid); initialised as PyTorch does (He-uniform for convs before batch norm,
/// uniform ±1/√fan-in otherwise).
/// </summary>
internal sealed class ConvLayers
{
    private readonly GraphProto _graph;
    private readonly Random _random;
    private readonly List<string> _trainable = new();
    private int _layer;

    /// <summary>Starts an empty graph, or continues <paramref name="graph"/> (a backbone's, whose tensors the new layers read).</summary>
    public ConvLayers(int seed, GraphProto? graph = null)
    {
        _random = new Random(seed);
        _graph = graph ?? new GraphProto { Name = "detector" };
        Emit = new GraphEmitter(_graph);
    }

    /// <summary>Where nodes go.</summary>
    public GraphEmitter Emit { get; }

    /// <summary>The trainable initializers, in creation order.</summary>
    public IReadOnlyList<string> Trainable => _trainable;

    /// <summary>A square convolution with "same" padding; returns its output.</summary>
    public string Conv(string x, int inChannels, int outChannels, int kernel, int stride, bool bias, float[]? initialBias = null, float weightScale = 1f, bool heInit = false)
    {
        var name = $"det.conv{++_layer}";
        var fanIn = inChannels * kernel * kernel;
        var bound = (heInit ? Math.Sqrt(6.0 / fanIn) : 1.0 / Math.Sqrt(fanIn)) * weightScale;
        var w = Parameter($"{name}.weight", new long[] { outChannels, inChannels, kernel, kernel }, bound);
        var inputs = new List<string> { x, w };
        if (bias)
        {
            inputs.Add(initialBias is null
                ? Parameter($"{name}.bias", new long[] { outChannels }, 1.0 / Math.Sqrt(fanIn))
                : Constant($"{name}.bias", initialBias, new long[] { outChannels }, trainable: true));
        }

        var pad = kernel / 2;
        return Emit.Op("Conv", inputs.ToArray(),
            OnnxAttributes.Ints("kernel_shape", new long[] { kernel, kernel }),
            OnnxAttributes.Ints("strides", new long[] { stride, stride }),
            OnnxAttributes.Ints("pads", new long[] { pad, pad, pad, pad }));
    }

    /// <summary>Conv (no bias), batch norm, ReLU.</summary>
    public string ConvBnRelu(string x, int inChannels, int outChannels, int kernel, int stride)
    {
        var conv = Conv(x, inChannels, outChannels, kernel, stride, bias: false, heInit: true);
        var name = $"det.bn{_layer}";
        var c = outChannels;
        var gamma = Constant($"{name}.weight", Enumerable.Repeat(1f, c).ToArray(), new long[] { c }, trainable: true);
        var beta = Constant($"{name}.bias", new float[c], new long[] { c }, trainable: true);
        var mean = Constant($"{name}.running_mean", new float[c], new long[] { c }, trainable: false);
        var variance = Constant($"{name}.running_var", Enumerable.Repeat(1f, c).ToArray(), new long[] { c }, trainable: false);
        var bn = Emit.Op("BatchNormalization", new[] { conv, gamma, beta, mean, variance },
            OnnxAttributes.Float("epsilon", 1e-5f), OnnxAttributes.Float("momentum", 0.9f));
        return Emit.Op("Relu", new[] { bn });
    }

    /// <summary>Nearest-neighbour upsampling by 2 in both spatial axes.</summary>
    public string Upsample2x(string x) =>
        Emit.Op("Resize", new[] { x, "", Emit.Floats("scales", new[] { 1f, 1f, 2f, 2f }, new long[] { 4 }) },
            OnnxAttributes.String("mode", "nearest"), OnnxAttributes.String("coordinate_transformation_mode", "asymmetric"),
            OnnxAttributes.String("nearest_mode", "floor"));

    /// <summary>
    /// The finished model: input [N, 3, size, size] (declared here unless the graph already has it), output
    /// <paramref name="output"/> [N, rows, width], at opset 17 plus <paramref name="otherDomains"/> (a backbone's contrib ops).
    /// </summary>
    public ModelProto Finish(string input, int size, string output, int rows, int width, IEnumerable<OperatorSetIdProto>? otherDomains = null)
    {
        var graph = _graph.Clone();
        if (graph.Input.FirstOrDefault(i => i.Name == input) is { } declared)
        {
            graph.Input.Remove(declared);
        }

        graph.Input.Insert(0, ValueInfo(input, new long?[] { null, 3, size, size }));
        graph.Output.Clear();
        graph.Output.Add(ValueInfo(output, new long?[] { null, rows, width }));
        var model = new ModelProto { IrVersion = 8, ProducerName = "Rekognition.Training", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = TrainingGraphBuilder.Opset });
        model.OpsetImport.AddRange((otherDomains ?? Array.Empty<OperatorSetIdProto>()).Where(d => !string.IsNullOrEmpty(d.Domain)).Select(d => d.Clone()));
        return model;
    }

    /// <summary>A float tensor's value-info; null dimensions are the batch ("N").</summary>
    public static ValueInfoProto ValueInfo(string name, long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d is { } v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.Float, Shape = shape } } };
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
        _graph.Initializer.Add(OnnxTensors.FromFloats(name, values, shape));
        if (trainable)
        {
            _trainable.Add(name);
        }

        return name;
    }
}
