using Google.Protobuf;
using Rekognition.Core.Models;
using Rekognition.Onnx.Ir;

namespace Rekognition.Onnx.Tests.Support;

/// <summary>
/// Builds a tiny classifier whose answer is known: input [N, 3, H, W] → (Conv, optional, only to make runs
/// slow) → GlobalAveragePool → Flatten → Gemm → Softmax, scoring "red" by mean red minus mean blue and
/// "blue" the other way round, so a red image is "red" with a confidence near 100.
/// </summary>
internal sealed class ColourModel
{
    public int Width { get; init; } = 64;

    public int Height { get; init; } = 64;

    /// <summary>Output channels of a 3x3 convolution in front (0: none); many make each run slow, for load tests.</summary>
    public int ConvChannels { get; init; }

    /// <summary>Whether the graph ends in Softmax (Probabilities) or leaves logits.</summary>
    public bool Softmax { get; init; } = true;

    /// <summary>Whether the graph's H and W are symbolic.</summary>
    public bool DynamicSize { get; init; }

    public string[] Labels { get; init; } = ["red", "blue"];

    /// <summary>Whether the batch axis is fixed at 1 instead of symbolic.</summary>
    public bool FixedBatch { get; init; }

    /// <summary>Whether the batch axis is declared symbolic but a Reshape to [1, -1] inside only runs with one image.</summary>
    public bool BatchOfOneInside { get; init; }

    /// <summary>
    /// Whether a run fails in the middle when any input value is 2 or more: the input's maximum indexes a two-element
    /// table (Gather rejects an index out of its bounds). With <see cref="Metadata"/>'s scale of 1/255 nothing fails; the
    /// metadata from <see cref="FailingMetadata"/> leaves pixels at 0..255, so every image but a black one fails.
    /// </summary>
    public bool FailsOnBrightInput { get; init; }

    public ModelProto Build()
    {
        var graph = new GraphProto { Name = "colour" };
        var batch = FixedBatch ? Fix(1) : Sym("batch");
        graph.Input.Add(Value("input", [batch, Fix(3), DynamicSize ? Sym("height") : Fix(Height), DynamicSize ? Sym("width") : Fix(Width)]));
        var features = "input";
        var channels = 3;
        if (ConvChannels > 0)
        {
            // Output channel c copies input channel c % 3 (centre tap), so the colour means survive.
            var weights = new float[ConvChannels * 3 * 9];
            for (var c = 0; c < ConvChannels; c++)
            {
                weights[(c * 3 + c % 3) * 9 + 4] = 1f;
            }

            graph.Initializer.Add(Tensor("conv_w", [ConvChannels, 3, 3, 3], weights));
            graph.Node.Add(Node("Conv", ["input", "conv_w"], ["conv"], Ints("pads", 1, 1, 1, 1)));
            features = "conv";
            channels = ConvChannels;
        }

        var gemm = new float[channels * Labels.Length];
        for (var c = 0; c < channels; c++)
        {
            var share = 10f * 3 / channels;
            if (c % 3 == 0)
            {
                gemm[c * Labels.Length] = share;
                gemm[c * Labels.Length + 1] = -share;
            }
            else if (c % 3 == 2)
            {
                gemm[c * Labels.Length] = -share;
                gemm[c * Labels.Length + 1] = share;
            }
        }

        graph.Initializer.Add(Tensor("gemm_w", [channels, Labels.Length], gemm));
        graph.Initializer.Add(Tensor("gemm_b", [Labels.Length], new float[Labels.Length]));
        graph.Node.Add(Node("GlobalAveragePool", [features], ["pooled"]));
        if (BatchOfOneInside)
        {
            var shape = new TensorProto { Name = "one_row", DataType = (int)TensorProto.Types.DataType.Int64 };
            shape.Dims.Add(2);
            shape.Int64Data.Add([1L, -1L]);
            graph.Initializer.Add(shape);
            graph.Node.Add(Node("Reshape", ["pooled", "one_row"], ["flat"]));
        }
        else
        {
            graph.Node.Add(Node("Flatten", ["pooled"], ["flat"], Int("axis", 1)));
        }
        var scores = FailsOnBrightInput ? "unchecked" : "scores";
        graph.Node.Add(Node("Gemm", ["flat", "gemm_w", "gemm_b"], [Softmax ? "logits" : scores]));
        if (Softmax)
        {
            graph.Node.Add(Node("Softmax", ["logits"], [scores], Int("axis", 1)));
        }

        if (FailsOnBrightInput)
        {
            // scores = unchecked + table[(long)max(input)], the table all zeros: the same answer, or a failed run.
            graph.Initializer.Add(Tensor("table", [2], [0f, 0f]));
            graph.Node.Add(Node("ReduceMax", ["input"], ["max"], Int("keepdims", 0)));
            graph.Node.Add(Node("Cast", ["max"], ["index"], Int("to", (long)TensorProto.Types.DataType.Int64)));
            graph.Node.Add(Node("Gather", ["table", "index"], ["zero"]));
            graph.Node.Add(Node("Add", ["unchecked", "zero"], ["scores"]));
        }

        graph.Output.Add(Value("scores", [FixedBatch ? Fix(1) : Sym("batch"), Fix(Labels.Length)]));
        var model = new ModelProto { IrVersion = 8, ProducerName = "Rekognition.Onnx.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        return model;
    }

    public ModelPackageMetadata Metadata() => new()
    {
        Kind = ModelKind.MultiClass,
        Labels = Labels.ToList(),
        Input = new ModelInputSpec
        {
            Name = "input", Width = Width, Height = Height, Scale = 1f / 255f, Mean = [0f, 0f, 0f], Std = [1f, 1f, 1f],
        },
        Output = new ModelOutputSpec { Format = Softmax ? OutputFormat.Probabilities : OutputFormat.Logits, Scores = "scores" },
        DefaultThreshold = 0.5f,
    };

    /// <summary>The metadata with pixels left at 0..255 (no scaling), for <see cref="FailsOnBrightInput"/>.</summary>
    public ModelPackageMetadata FailingMetadata()
    {
        var metadata = Metadata();
        metadata.Input.Scale = 1f;
        return metadata;
    }

    /// <summary>Writes model.onnx and model.json into a new folder under <paramref name="root"/>; returns the folder.</summary>
    public string WritePackage(string root, ModelPackageMetadata? metadata = null, ModelProto? model = null)
    {
        var directory = Path.Combine(root, "pkg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var onnx = Path.Combine(root, $"src-{Guid.NewGuid():N}.onnx");
        OnnxModelFile.Write(model ?? Build(), onnx);
        ModelPackage.Write(directory, onnx, metadata ?? Metadata());
        File.Delete(onnx);
        return directory;
    }

    private static TensorShapeProto.Types.Dimension Fix(long value) => new() { DimValue = value };

    private static TensorShapeProto.Types.Dimension Sym(string name) => new() { DimParam = name };

    private static ValueInfoProto Value(string name, TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(dims);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static TensorProto Tensor(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(values);
        return tensor;
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = op + "_" + outputs[0] };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        node.Attribute.Add(attributes);
        return node;
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }
}
