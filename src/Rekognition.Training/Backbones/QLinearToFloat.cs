using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Backbones;

/// <summary>
/// Rewrites the int8 (QDQ-free, QLinear*) ops of a network's back into float ops it can train: weights and biases
/// dequantized into float initializers, and each op's requantisation kept as a Clip to the range its uint8/int8
/// output could hold (which is where the quantizer folded ReLU/ReLU6). Tensors keep their names, now float.
/// </summary>
internal static class QLinearToFloat
{
    /// <summary>Whether <paramref name="node"/> is one of the quantized ops this rewrites.</summary>
    public static bool Handles(NodeProto node) => node.OpType is "QLinearConv" or "QLinearAdd" or "QLinearGlobalAveragePool" or "DequantizeLinear";

    /// <summary>The scale and zero point of <paramref name="tensor"/> as its first reader among <paramref name="nodes"/> sees it.</summary>
    public static (string Scale, string ZeroPoint)? QuantizationOf(IEnumerable<NodeProto> nodes, string tensor)
    {
        foreach (var n in nodes)
        {
            for (var i = 0; i < n.Input.Count; i++)
            {
                if (n.Input[i] != tensor)
                {
                    continue;
                }

                switch (n.OpType)
                {
                    case "QLinearConv" or "QLinearGlobalAveragePool" or "DequantizeLinear" when i == 0:
                    case "QLinearAdd" when i is 0 or 3:
                        return (n.Input[i + 1], n.Input[i + 2]);
                }
            }
        }

        return null;
    }

    /// <summary>Rewrites <paramref name="graph"/>'s nodes in place (float initializers added); other ops are left as they are.</summary>
    public static void Apply(GraphProto graph)
    {
        var inits = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var nodes = graph.Node.ToList();
        graph.Node.Clear();
        var emit = new GraphEmitter(graph);
        foreach (var n in nodes)
        {
            switch (n.OpType)
            {
                case "QLinearConv":
                {
                    // x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, [B]
                    var w = inits[n.Input[3]];
                    var ws = Values(inits[n.Input[4]]);
                    var wzp = Values(inits[n.Input[5]]);
                    var xs = Values(inits[n.Input[1]])[0];
                    var raw = Values(w);
                    var outC = (int)w.Dims[0];
                    var per = raw.Length / outC;
                    var weights = new float[raw.Length];
                    for (var o = 0; o < outC; o++)
                    {
                        var (s, z) = (ws.Length == 1 ? ws[0] : ws[o], wzp.Length == 1 ? wzp[0] : wzp[o]);
                        for (var k = 0; k < per; k++)
                        {
                            weights[(o * per) + k] = (raw[(o * per) + k] - z) * s;
                        }
                    }

                    var inputs = new List<string> { n.Input[0], emit.Floats(n.Input[3] + "_float", weights, w.Dims.ToArray()) };
                    if (n.Input.Count > 8 && n.Input[8].Length > 0)
                    {
                        var b = Values(inits[n.Input[8]]);
                        inputs.Add(emit.Floats(n.Input[8] + "_float", b.Select((v, o) => v * xs * (ws.Length == 1 ? ws[0] : ws[o])).ToArray(), new long[] { b.Length }));
                    }

                    var conv = emit.Op("Conv", inputs.ToArray(), n.Attribute.Select(a => a.Clone()).ToArray());
                    Clip(emit, inits, conv, n.Input[6], n.Input[7], n.Output[0]);
                    break;
                }

                case "QLinearAdd":
                    // A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp
                    Clip(emit, inits, emit.Add(n.Input[0], n.Input[3]), n.Input[6], n.Input[7], n.Output[0]);
                    break;
                case "QLinearGlobalAveragePool":
                    // X, x_scale, x_zp, y_scale, y_zp
                    Clip(emit, inits, emit.Op("GlobalAveragePool", new[] { n.Input[0] }), n.Input[3], n.Input[4], n.Output[0]);
                    break;
                case "DequantizeLinear":
                    emit.Add("Identity", new[] { n.Input[0] }, new[] { n.Output[0] });
                    break;
                default:
                    graph.Node.Add(n);
                    break;
            }
        }
    }

    private static void Clip(GraphEmitter emit, Dictionary<string, TensorProto> inits, string x, string scale, string zeroPoint, string output)
    {
        var s = Values(inits[scale])[0];
        var zp = inits[zeroPoint];
        var z = Values(zp)[0];
        var (lo, hi) = zp.DataType == (int)TensorProto.Types.DataType.Int8 ? (-128f, 127f) : (0f, 255f);
        emit.Add("Clip", new[] { x, emit.Floats(output + "_min", new[] { (lo - z) * s }, Array.Empty<long>()), emit.Floats(output + "_max", new[] { (hi - z) * s }, Array.Empty<long>()) }, new[] { output });
    }

    /// <summary>An initializer's values as floats (float, uint8, int8 or int32; raw or typed storage).</summary>
    private static float[] Values(TensorProto t)
    {
        var raw = t.RawData;
        return (TensorProto.Types.DataType)t.DataType switch
        {
            TensorProto.Types.DataType.Float => OnnxTensors.ToFloats(t),
            TensorProto.Types.DataType.Uint8 => raw.Length > 0 ? raw.Select(b => (float)b).ToArray() : t.Int32Data.Select(v => (float)v).ToArray(),
            TensorProto.Types.DataType.Int8 => raw.Length > 0 ? raw.Select(b => (float)(sbyte)b).ToArray() : t.Int32Data.Select(v => (float)v).ToArray(),
            TensorProto.Types.DataType.Int32 => raw.Length > 0 ? Enumerable.Range(0, raw.Length / 4).Select(i => (float)BitConverter.ToInt32(raw.Span.Slice(i * 4, 4))).ToArray() : t.Int32Data.Select(v => (float)v).ToArray(),
            _ => throw new NotSupportedException($"Quantized initializer {t.Name} has element type {t.DataType}."),
        };
    }
}
