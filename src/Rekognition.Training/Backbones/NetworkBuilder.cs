using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Backbones;

/// <summary>
/// Writes a feed-forward network as an ONNX inference graph layer by layer, with its parameters as
/// initializers initialised as PyTorch does by default (uniform ±1/√fan-in; He-uniform for convs followed by batch norm).
/// </summary>
internal sealed class NetworkBuilder
{
    private readonly GraphProto _graph = new() { Name = "network" };
    private readonly GraphEmitter _emit;
    private readonly LayerWriter _layers;

    /// <summary>Starts a network whose input <paramref name="inputName"/> is [N, channels, height, width].</summary>
    public NetworkBuilder(string inputName, int channels, int height, int width, int seed = 0)
    {
        _layers = new LayerWriter(_graph, seed);
        _emit = _layers.Emit;
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (var d in new long[] { channels, height, width })
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        _graph.Input.Add(new ValueInfoProto { Name = inputName, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.Float, Shape = shape } } });
        Current = inputName;
        InputName = inputName;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>The network's input name.</summary>
    public string InputName { get; }

    /// <summary>The tensor the next layer reads.</summary>
    public string Current { get; private set; }

    /// <summary>Channels (or features, after flattening) of <see cref="Current"/>.</summary>
    public int Channels { get; private set; }

    /// <summary>Spatial height of <see cref="Current"/> (1 after flattening).</summary>
    public int Height { get; private set; }

    /// <summary>Spatial width of <see cref="Current"/> (1 after flattening).</summary>
    public int Width { get; private set; }

    /// <summary>The trainable initializers, in creation order.</summary>
    public IReadOnlyList<string> Trainable => _layers.Trainable;

    /// <summary>Adds a 2-D convolution (square kernel) with an optional bias.</summary>
    public NetworkBuilder Conv(int outChannels, int kernel, int stride = 1, int padding = 0, int groups = 1, bool bias = true, bool heInit = false)
    {
        Current = _layers.Conv(Current, Channels, outChannels, kernel, stride, padding, groups, bias, heInit);
        Channels = outChannels;
        Height = ((Height + (2 * padding) - kernel) / stride) + 1;
        Width = ((Width + (2 * padding) - kernel) / stride) + 1;
        return this;
    }

    /// <summary>Adds batch normalization (γ=1, β=0, running mean 0 and variance 1), PyTorch's momentum 0.1.</summary>
    public NetworkBuilder BatchNorm()
    {
        Current = _layers.BatchNorm(Current, Channels);
        return this;
    }

    /// <summary>Adds a ReLU.</summary>
    public NetworkBuilder Relu()
    {
        Current = _emit.Op("Relu", new[] { Current });
        return this;
    }

    /// <summary>Adds max pooling with a square window and stride equal to it.</summary>
    public NetworkBuilder MaxPool(int size)
    {
        Current = _emit.Op("MaxPool", new[] { Current }, OnnxAttributes.Ints("kernel_shape", new long[] { size, size }), OnnxAttributes.Ints("strides", new long[] { size, size }));
        Height /= size;
        Width /= size;
        return this;
    }

    /// <summary>
    /// Adds a basic residual block (ResNet-18/34's): conv3x3 (stride) - BN - ReLU - conv3x3 - BN, plus the input
    /// itself, or its conv1x1 (stride) - BN projection when the stride or width changes, then ReLU. Convs have no bias.
    /// </summary>
    public NetworkBuilder BasicBlock(int outChannels, int stride = 1)
    {
        var (input, channels, height, width) = (Current, Channels, Height, Width);
        Conv(outChannels, 3, stride, padding: 1, bias: false, heInit: true).BatchNorm().Relu();
        Conv(outChannels, 3, padding: 1, bias: false, heInit: true).BatchNorm();
        var main = Current;
        var (outHeight, outWidth) = (Height, Width);
        var shortcut = input;
        if (stride != 1 || channels != outChannels)
        {
            (Current, Channels, Height, Width) = (input, channels, height, width);
            Conv(outChannels, 1, stride, bias: false, heInit: true).BatchNorm();
            shortcut = Current;
        }

        Current = _emit.Add(main, shortcut);
        (Channels, Height, Width) = (outChannels, outHeight, outWidth);
        return Relu();
    }

    /// <summary>Adds global average pooling and flattens to [N, channels].</summary>
    public NetworkBuilder GlobalAveragePool()
    {
        Current = _emit.Op("GlobalAveragePool", new[] { Current });
        Height = Width = 1;
        return Flatten();
    }

    /// <summary>Flattens to [N, channels·height·width].</summary>
    public NetworkBuilder Flatten()
    {
        Current = _emit.Op("Flatten", new[] { Current }, OnnxAttributes.Int("axis", 1));
        Channels *= Height * Width;
        Height = Width = 1;
        return this;
    }

    /// <summary>Adds dropout with drop probability <paramref name="ratio"/> (active only in the training graph).</summary>
    public NetworkBuilder Dropout(float ratio)
    {
        Current = _emit.Op("Dropout", new[] { Current, _emit.Scalar(ratio) });
        return this;
    }

    /// <summary>Adds a fully connected layer (Gemm with the weight stored [out, in], as PyTorch's Linear).</summary>
    public NetworkBuilder Linear(int outFeatures)
    {
        Current = _layers.Linear(Current, Channels, outFeatures);
        Channels = outFeatures;
        return this;
    }

    /// <summary>Finishes the graph with <see cref="Current"/> renamed to the output <paramref name="outputName"/>.</summary>
    public ModelProto Build(string outputName)
    {
        _emit.Add("Identity", new[] { Current }, new[] { outputName });
        var graph = _graph.Clone();
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = Channels });
        graph.Output.Add(new ValueInfoProto { Name = outputName, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.Float, Shape = shape } } });
        var model = new ModelProto { IrVersion = 8, ProducerName = "Rekognition.Training", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = TrainingGraphBuilder.Opset });
        return model;
    }
}
