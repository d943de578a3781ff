using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Graphs;

/// <summary>
/// Finds the static shape of every tensor of an inference graph at a fixed batch size by running it
/// once in ONNX Runtime on zeros with every node output exposed. The shapes are then ORT's own, for
/// every op it knows, instead of a second shape-inference implementation here.
/// </summary>
internal static class ShapeProbe
{
    /// <summary>Returns the shape of each graph input, initializer and node output.</summary>
    public static Dictionary<string, long[]> Run(ModelProto model, IReadOnlyDictionary<string, long[]> inputShapes)
    {
        var probe = model.Clone();
        var graph = probe.Graph;
        var initializers = new HashSet<string>(graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var init in graph.Initializer)
        {
            shapes[init.Name] = init.Dims.ToArray();
        }

        var existing = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var o in node.Output)
            {
                if (o.Length > 0 && existing.Add(o))
                {
                    graph.Output.Add(new ValueInfoProto { Name = o });
                }
            }
        }

        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(probe.ToByteArray(), options);
        var feeds = new List<NamedOnnxValue>();
        try
        {
            foreach (var input in graph.Input)
            {
                if (initializers.Contains(input.Name))
                {
                    continue;
                }

                if (!inputShapes.TryGetValue(input.Name, out var dims))
                {
                    throw new ArgumentException($"No shape was given for the graph input {input.Name}.", nameof(inputShapes));
                }

                shapes[input.Name] = dims;
                var intDims = dims.Select(d => checked((int)d)).ToArray();
                feeds.Add(input.Type.TensorType.ElemType == OnnxTensors.Int64
                    ? NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<long>(intDims))
                    : NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<float>(intDims)));
            }

            using var results = session.Run(feeds);
            foreach (var r in results)
            {
                if (r.Value is Tensor<float> f)
                {
                    shapes[r.Name] = f.Dimensions.ToArray().Select(d => (long)d).ToArray();
                }
                else if (r.Value is Tensor<long> l)
                {
                    shapes[r.Name] = l.Dimensions.ToArray().Select(d => (long)d).ToArray();
                }
                else if (r.Value is Tensor<bool> b)
                {
                    shapes[r.Name] = b.Dimensions.ToArray().Select(d => (long)d).ToArray();
                }
                else if (r.Value is Tensor<byte> u8)
                {
                    // Quantized activations (QLinear graphs), e.g. a backbone's feature taps.
                    shapes[r.Name] = u8.Dimensions.ToArray().Select(d => (long)d).ToArray();
                }
                else if (r.Value is Tensor<sbyte> s8)
                {
                    shapes[r.Name] = s8.Dimensions.ToArray().Select(d => (long)d).ToArray();
                }
                else if (r.Value is Tensor<int> i32)
                {
                    shapes[r.Name] = i32.Dimensions.ToArray().Select(d => (long)d).ToArray();
                }
            }
        }
        finally
        {
            foreach (var f in feeds)
            {
                (f.Value as IDisposable)?.Dispose();
            }
        }

        return shapes;
    }
}
