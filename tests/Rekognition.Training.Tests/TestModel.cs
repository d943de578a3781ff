using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Tests;

/// <summary>Builds small ONNX inference graphs for tests.</summary>
internal sealed class TestModel
{
    private readonly GraphProto _graph = new() { Name = "test" };
    private readonly Random _random;

    public TestModel(int seed = 1) => _random = new Random(seed);

    public Dictionary<string, long[]> InputShapes { get; } = new(StringComparer.Ordinal);

    public List<string> Parameters { get; } = new();

    public TestModel Input(string name, params long[] shape)
    {
        _graph.Input.Add(OnnxTensors.ValueInfo(name, OnnxTensors.Float, shape));
        InputShapes[name] = shape;
        return this;
    }

    /// <summary>A trainable float initializer with values uniform in ±scale.</summary>
    public TestModel Parameter(string name, long[] shape, float scale = 1f)
    {
        var count = (int)shape.Aggregate(1L, (p, d) => p * d);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(((_random.NextDouble() * 2) - 1) * scale);
        }

        return Parameter(name, shape, values);
    }

    /// <summary>A trainable initializer whose values are distinct and at least <paramref name="spacing"/> apart, none near 0 (ops with kinks).</summary>
    public TestModel SpacedParameter(string name, long[] shape, float spacing = 0.02f)
    {
        var count = (int)shape.Aggregate(1L, (p, d) => p * d);
        var order = Enumerable.Range(0, count).OrderBy(_ => _random.Next()).ToArray();
        var values = order.Select(i => (i - (count / 2f) + 0.5f) * spacing).ToArray();
        return Parameter(name, shape, values);
    }

    public TestModel Parameter(string name, long[] shape, float[] values)
    {
        _graph.Initializer.Add(OnnxTensors.FromFloats(name, values, shape));
        Parameters.Add(name);
        return this;
    }

    public TestModel Constant(string name, float[] values, long[] shape)
    {
        _graph.Initializer.Add(OnnxTensors.FromFloats(name, values, shape));
        return this;
    }

    public TestModel Int64Constant(string name, params long[] values)
    {
        _graph.Initializer.Add(OnnxTensors.FromInt64s(name, values, new long[] { values.Length }));
        return this;
    }

    /// <summary>An int64 initializer of any shape (gather indices; an empty shape is a scalar).</summary>
    public TestModel Int64Tensor(string name, long[] values, long[] shape)
    {
        _graph.Initializer.Add(OnnxTensors.FromInt64s(name, values, shape));
        return this;
    }

    public TestModel Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = outputs[0] + "_node" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return this;
    }

    public ModelProto Build(string output)
    {
        var graph = _graph.Clone();
        graph.Output.Add(OnnxTensors.ValueInfo(output, OnnxTensors.Float));
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model;
    }

    public static AttributeProto Ints(string name, params long[] values) => OnnxAttributes.Ints(name, values);

    public static AttributeProto Int(string name, long value) => OnnxAttributes.Int(name, value);

    public static AttributeProto Float(string name, float value) => OnnxAttributes.Float(name, value);
}
