using Google.Protobuf;
using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Graphs;

/// <summary>Builds and reads ONNX node attributes.</summary>
internal static class OnnxAttributes
{
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Tensor(string name, TensorProto value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = value };

    public static AttributeProto? Find(NodeProto node, string name)
    {
        foreach (var a in node.Attribute)
        {
            if (a.Name == name)
            {
                return a;
            }
        }

        return null;
    }

    public static long GetInt(NodeProto node, string name, long fallback) => Find(node, name) is { } a ? a.I : fallback;

    public static float GetFloat(NodeProto node, string name, float fallback) => Find(node, name) is { } a ? a.F : fallback;

    public static string GetString(NodeProto node, string name, string fallback) => Find(node, name) is { } a ? a.S.ToStringUtf8() : fallback;

    /// <summary>The ints attribute, or <paramref name="fallback"/> repeated <paramref name="count"/> times when absent.</summary>
    public static long[] GetInts(NodeProto node, string name, int count, long fallback)
    {
        if (Find(node, name) is { } a && a.Ints.Count > 0)
        {
            return a.Ints.ToArray();
        }

        var values = new long[count];
        Array.Fill(values, fallback);
        return values;
    }

    public static long[]? GetIntsOrNull(NodeProto node, string name) =>
        Find(node, name) is { } a && a.Ints.Count > 0 ? a.Ints.ToArray() : null;
}
