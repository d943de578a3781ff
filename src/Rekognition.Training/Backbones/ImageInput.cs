using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Backbones;

/// <summary>Finds a backbone's image input and frees its batch axis.</summary>
internal static class ImageInput
{
    /// <summary>The batch axis' name once it is dynamic.</summary>
    public const string BatchAxis = "N";

    /// <summary>The graph's one input that is not an initializer.</summary>
    public static ValueInfoProto Find(GraphProto graph, string path)
    {
        var initializers = new HashSet<string>(graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        return inputs.Count == 1
            ? inputs[0]
            : throw new NotSupportedException($"The backbone {path} must have one input, an image tensor [N, 3, H, W]; it has {inputs.Count}.");
    }

    /// <summary>
    /// The image input [N, 3, H, W] of floats; anything else (a token sequence, a flat vector, int8, one channel) is refused,
    /// saying what was looked for.
    /// </summary>
    public static ValueInfoProto FindImage(GraphProto graph, string path)
    {
        var input = Find(graph, path);
        var tensor = input.Type?.TensorType;
        var dims = tensor?.Shape?.Dim.Select(d => d.DimParam.Length > 0 ? -1 : d.DimValue).ToArray() ?? Array.Empty<long>();
        if (tensor is null || tensor.ElemType != OnnxTensors.Float || dims.Length != 4 || dims[1] != 3)
        {
            var shape = dims.Length == 0 ? "no tensor shape" : $"[{string.Join(", ", dims.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";
            throw new NotSupportedException(
                $"The backbone {path} does not take an image: looked for one float input [N, 3, H, W] (batch, RGB channels, height, width); its input {input.Name} is {shape} of element type {tensor?.ElemType ?? 0}.");
        }

        return input;
    }

    /// <summary>
    /// Makes the graph's batch axis dynamic: its input's first dimension becomes <see cref="BatchAxis"/>, and the recorded
    /// shapes of other tensors (which an export may have fixed at batch 1) are dropped for ONNX Runtime to infer.
    /// </summary>
    public static void MakeBatchDynamic(GraphProto graph, string path)
    {
        var input = Find(graph, path);
        if (input.Type?.TensorType?.Shape is { Dim.Count: > 0 } shape)
        {
            shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = BatchAxis };
        }

        graph.ValueInfo.Clear();
        foreach (var output in graph.Output)
        {
            if (output.Type?.TensorType?.Shape is { Dim.Count: > 0 } s)
            {
                s.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = BatchAxis };
            }
        }
    }
}
