using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Graphs;

/// <summary>
/// Appends nodes and constants to a graph under construction, with unique names. Constants are
/// initializers, shared by value so each distinct shape or scalar is stored once.
/// </summary>
internal sealed class GraphEmitter
{
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    public GraphEmitter(GraphProto graph)
    {
        Graph = graph;
        foreach (var n in graph.Node)
        {
            // Node names share the namespace: ONNX Runtime rejects two nodes with one name.
            _names.UnionWith(n.Output);
            _names.Add(n.Name);
        }

        foreach (var i in graph.Initializer)
        {
            _names.Add(i.Name);
        }

        foreach (var i in graph.Input)
        {
            _names.Add(i.Name);
        }
    }

    /// <summary>The graph being built.</summary>
    public GraphProto Graph { get; }

    /// <summary>Marks a name as taken (a node that will be copied in later).</summary>
    public void Reserve(string name) => _names.Add(name);

    /// <summary>A name not used yet in the graph, starting with <paramref name="hint"/>.</summary>
    public string Fresh(string hint)
    {
        string name;
        do
        {
            name = $"{hint}__{_counter++}";
        }
        while (!_names.Add(name));

        return name;
    }

    /// <summary>Appends a node with one output and returns the output's name.</summary>
    public string Op(string opType, string[] inputs, params AttributeProto[] attributes) =>
        OpMulti(opType, inputs, 1, attributes)[0];

    /// <summary>Appends a node with <paramref name="outputCount"/> outputs and returns their names.</summary>
    public string[] OpMulti(string opType, string[] inputs, int outputCount, params AttributeProto[] attributes)
    {
        var outputs = new string[outputCount];
        for (var i = 0; i < outputCount; i++)
        {
            outputs[i] = Fresh(opType.ToLowerInvariant());
        }

        Add(opType, inputs, outputs, attributes);
        return outputs;
    }

    /// <summary>Appends a node with the given output names.</summary>
    public NodeProto Add(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Fresh("n_" + opType) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _names.UnionWith(outputs);
        Graph.Node.Add(node);
        return node;
    }

    /// <summary>A 1-D int64 constant (shapes, axes, slice bounds).</summary>
    public string Int64s(params long[] values) =>
        Constant("i64:" + string.Join(",", values), () => OnnxTensors.FromInt64s("", values, new long[] { values.Length }));

    /// <summary>A scalar float constant.</summary>
    public string Scalar(float value) =>
        Constant("f32:" + BitConverter.SingleToInt32Bits(value), () => OnnxTensors.FromFloats("", new[] { value }, ReadOnlySpan<long>.Empty));

    /// <summary>The bool scalar true (Dropout's training_mode).</summary>
    public string True() => Constant("bool:1", () => new TensorProto { DataType = (int)TensorProto.Types.DataType.Bool, RawData = Google.Protobuf.ByteString.CopyFrom(1) });

    /// <summary>A float constant of any shape (not shared).</summary>
    public string Floats(string hint, float[] values, long[] dims)
    {
        var name = Fresh(hint);
        Graph.Initializer.Add(OnnxTensors.FromFloats(name, values, dims));
        return name;
    }

    /// <summary>A float initializer made once per graph for each <paramref name="hint"/> and shape, and shared by every caller.</summary>
    public string SharedFloats(string hint, float[] values, long[] dims) =>
        Constant($"f32:{hint}:{string.Join(",", dims)}", () => OnnxTensors.FromFloats("", values, dims), hint);

    private string Constant(string key, Func<TensorProto> make, string hint = "const")
    {
        if (_constants.TryGetValue(key, out var name))
        {
            return name;
        }

        name = Fresh(hint);
        var t = make();
        t.Name = name;
        Graph.Initializer.Add(t);
        _constants[key] = name;
        return name;
    }

    // Shorthands for the ops gradients use most.
    public string Mul(string a, string b) => Op("Mul", new[] { a, b });

    public string Add(string a, string b) => Op("Add", new[] { a, b });

    public string Sub(string a, string b) => Op("Sub", new[] { a, b });

    public string Div(string a, string b) => Op("Div", new[] { a, b });

    public string Reshape(string x, params long[] shape) => Op("Reshape", new[] { x, Int64s(shape) });

    public string Transpose(string x, params long[] perm) => Op("Transpose", new[] { x }, OnnxAttributes.Ints("perm", perm));

    public string ReduceSum(string x, long[] axes, bool keepDims) =>
        Op("ReduceSum", new[] { x, Int64s(axes) }, OnnxAttributes.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>
    /// When <paramref name="tensor"/> is the output of a Sum of two tensors that no other emitted node reads (a gradient
    /// summed over two readers), removes that Sum and gives its two inputs, so that a fused kernel can add them in its own
    /// pass; otherwise false and the graph is unchanged.
    /// </summary>
    public bool TakeSumOfTwo(string tensor, out string first, out string second)
    {
        (first, second) = (string.Empty, string.Empty);
        var nodes = Graph.Node;
        var sum = nodes.LastOrDefault(n => n.OpType == "Sum" && n.Domain.Length == 0 && n.Output.Count == 1 && n.Output[0] == tensor);
        if (sum is null || sum.Input.Count != 2 || nodes.Any(n => n.Input.Contains(tensor)) || Graph.Output.Any(o => o.Name == tensor))
        {
            return false;
        }

        nodes.Remove(sum);
        (first, second) = (sum.Input[0], sum.Input[1]);
        return true;
    }

    /// <summary>A float mask (1 where the condition holds, else 0).</summary>
    public string FloatMask(string condition) => Op("Cast", new[] { condition }, OnnxAttributes.Int("to", OnnxTensors.Float));
}
