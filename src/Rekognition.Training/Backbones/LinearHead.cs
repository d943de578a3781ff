using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Backbones;

/// <summary>
/// A linear classifier on pooled backbone features: features standardised with the training set's mean
/// and standard deviation (constants), dropout while training, then one fully connected layer to the logits.
/// Input [N, features, 1, 1] or [N, features]; output <see cref="BuiltInNetworks.Output"/> [N, classes].
/// </summary>
internal static class LinearHead
{
    /// <summary>The head's input name.</summary>
    public const string Input = "features";

    /// <summary>The trainable weight's name ([classes, features]).</summary>
    public const string Weight = "head.weight";

    /// <summary>The trainable bias's name.</summary>
    public const string Bias = "head.bias";

    /// <summary>
    /// Builds the head for features standardised by <paramref name="mean"/> and <paramref name="std"/>; the weights start
    /// uniform in ±<paramref name="initScale"/>/√features (0: zeros), the bias at zero.
    /// </summary>
    public static (ModelProto Model, IReadOnlyList<string> Trainable) Build(float[] mean, float[] std, int classes, float dropout, int seed = 0, float initScale = 1f)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        var f = mean.Length;
        var graph = new GraphProto { Name = "linear_head" };
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = f });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
        graph.Input.Add(new ValueInfoProto { Name = Input, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.Float, Shape = shape } } });
        var emit = new GraphEmitter(graph);
        var random = new Random(seed);
        var bound = initScale / Math.Sqrt(f);
        graph.Initializer.Add(OnnxTensors.FromFloats(Weight, Enumerable.Range(0, classes * f).Select(_ => (float)(((random.NextDouble() * 2) - 1) * bound)).ToArray(), new long[] { classes, f }));
        graph.Initializer.Add(OnnxTensors.FromFloats(Bias, new float[classes], new long[] { classes }));
        var flat = emit.Op("Flatten", new[] { Input }, OnnxAttributes.Int("axis", 1));
        var centred = emit.Sub(flat, emit.Floats("head.mean", mean, new long[] { f }));
        var scaled = emit.Mul(centred, emit.Floats("head.inv_std", std.Select(s => 1f / Math.Max(s, 1e-6f)).ToArray(), new long[] { f }));
        var x = dropout > 0 ? emit.Op("Dropout", new[] { scaled, emit.Scalar(dropout) }) : scaled;
        emit.Add("Gemm", new[] { x, Weight, Bias }, new[] { BuiltInNetworks.Output }, OnnxAttributes.Int("transB", 1));
        graph.Output.Add(OnnxTensors.ValueInfo(BuiltInNetworks.Output, OnnxTensors.Float));
        var model = new ModelProto { IrVersion = 8, ProducerName = "Rekognition.Training", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = TrainingGraphBuilder.Opset });
        return (model, new[] { Weight, Bias });
    }
}
