using System.Runtime.InteropServices;
using Google.Protobuf;
using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Graphs;

/// <summary>Builds and reads ONNX tensor protos (float and int64, raw little-endian data).</summary>
internal static class OnnxTensors
{
    public const int Float = (int)TensorProto.Types.DataType.Float;
    public const int Int64 = (int)TensorProto.Types.DataType.Int64;

    public static TensorProto FromFloats(string name, ReadOnlySpan<float> values, ReadOnlySpan<long> dims)
    {
        var t = new TensorProto { Name = name, DataType = Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        t.Dims.AddRange(dims.ToArray());
        return t;
    }

    public static TensorProto FromInt64s(string name, ReadOnlySpan<long> values, ReadOnlySpan<long> dims)
    {
        var t = new TensorProto { Name = name, DataType = Int64, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        t.Dims.AddRange(dims.ToArray());
        return t;
    }

    /// <summary>The values of a float tensor, from raw data or float_data.</summary>
    public static float[] ToFloats(TensorProto t)
    {
        if (t.DataType != Float)
        {
            throw new NotSupportedException($"Tensor {t.Name} has data type {t.DataType}, not float.");
        }

        return t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray() : t.FloatData.ToArray();
    }

    /// <summary>The values of an int64 tensor, from raw data or int64_data.</summary>
    public static long[] ToInt64s(TensorProto t)
    {
        if (t.DataType != Int64)
        {
            throw new NotSupportedException($"Tensor {t.Name} has data type {t.DataType}, not int64.");
        }

        return t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, long>(t.RawData.Span).ToArray() : t.Int64Data.ToArray();
    }

    /// <summary>A tensor value-info with a fixed shape.</summary>
    public static ValueInfoProto ValueInfo(string name, int elementType, IEnumerable<long> dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }

    /// <summary>A tensor value-info whose shape is left to the runtime.</summary>
    public static ValueInfoProto ValueInfo(string name, int elementType) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType } } };
}
