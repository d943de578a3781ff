using Rekognition.Onnx.Ir;
using Rekognition.Training.Backbones;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Detection;

/// <summary>
/// Conv, batch-norm and upsampling layers written by tensor name into one graph, for networks that branch
/// and merge (the detector's pyramid); initialised as PyTorch does (He-uniform for convs before batch norm,
/// uniform ±1/√fan-in otherwise).
/// </summary>
internal sealed class ConvLayers
{
    // The Resize scales of a 2x nearest-neighbour upsampling of an NCHW tensor, and their shape (copied into each graph).
    private static readonly float[] Upsample2xScales = [1f, 1f, 2f, 2f];
    private static readonly long[] Upsample2xScalesShape = [4];

    private readonly GraphProto _graph;
    private readonly LayerWriter _layers;

    /// <summary>Starts an empty graph, or continues <paramref name="graph"/> (a backbone's, whose tensors the new layers read).</summary>
    public ConvLayers(int seed, GraphProto? graph = null)
    {
        _graph = graph ?? new GraphProto { Name = "detector" };
        _layers = new LayerWriter(_graph, seed, prefix: "det.");
    }

    /// <summary>Where nodes go.</summary>
    public GraphEmitter Emit => _layers.Emit;

    /// <summary>The trainable initializers, in creation order.</summary>
    public IReadOnlyList<string> Trainable => _layers.Trainable;

    /// <summary>A square convolution with "same" padding; returns its output.</summary>
    public string Conv(string x, int inChannels, int outChannels, int kernel, int stride, bool bias, float[]? initialBias = null, float weightScale = 1f, bool heInit = false) =>
        _layers.Conv(x, inChannels, outChannels, kernel, stride, kernel / 2, bias: bias, heInit: heInit, initialBias: initialBias, weightScale: weightScale);

    /// <summary>Conv (no bias), batch norm, ReLU.</summary>
    public string ConvBnRelu(string x, int inChannels, int outChannels, int kernel, int stride) =>
        Emit.Op("Relu", new[] { _layers.BatchNorm(Conv(x, inChannels, outChannels, kernel, stride, bias: false, heInit: true), outChannels) });
    /// <summary>Nearest-neighbour upsampling by 2 in both spatial axes.</summary>
    public string Upsample2x(string x) =>
        Emit.Op("Resize", new[] { x, "", Emit.Floats("scales", Upsample2xScales, Upsample2xScalesShape) },
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
}
