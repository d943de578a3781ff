using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Backbones;

/// <summary>
/// Puts a fixed centre crop in front of a network's image input: the new input is a larger square
/// [N, C, outer, outer] and a Slice keeps its centre [inner, inner], which feeds the network's old input.
/// With the input spec stretching images to the outer size, the network sees the central share
/// inner/outer of each side (the "resize 256, crop 224" of ImageNet evaluation, without keeping the aspect
/// ratio), through the preprocessing the model package already records.
/// </summary>
public static class CentreCropInput
{
    /// <summary>The outer side that keeps <paramref name="keep"/> of each side at <paramref name="inner"/> (224 and 0.875 give 256).</summary>
    public static int OuterSize(int inner, float keep)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inner);
        if (!(keep > 0f && keep <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(keep), keep, "The kept share of each side must be in (0, 1].");
        }

        return (int)Math.Round(inner / keep);
    }

    /// <summary>
    /// Returns a copy of <paramref name="model"/> whose input <paramref name="inputName"/> takes [N, C, outer, outer]
    /// images and is cropped to the centre [inner, inner] (the model is returned as is when outer equals inner).
    /// </summary>
    public static ModelProto Apply(ModelProto model, string inputName, int inner, int outer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(outer, inner);
        if (outer == inner)
        {
            return model;
        }

        var copy = model.Clone();
        var graph = copy.Graph;
        var input = graph.Input.FirstOrDefault(i => i.Name == inputName)
            ?? throw new ArgumentException($"The model has no input '{inputName}'.", nameof(inputName));
        var dims = input.Type.TensorType.Shape?.Dim;
        if (dims is not { Count: 4 })
        {
            throw new NotSupportedException($"The input '{inputName}' is not a 4-D [N, C, H, W] image tensor.");
        }

        // The network keeps reading the old name, now produced by the Slice; the graph input gets a new name then takes the old one back.
        const string cropped = "centre_crop/cropped";
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == inputName)
                {
                    node.Input[i] = cropped;
                }
            }
        }

        var emit = new GraphEmitter(graph);
        var start = (outer - inner) / 2;
        var slice = emit.Add("Slice",
            new[] { inputName, emit.Int64s(start, start), emit.Int64s(start + inner, start + inner), emit.Int64s(2, 3) },
            new[] { cropped });

        // The emitter appends; the Slice must come first in the topologically sorted node list (its bounds are initializers).
        graph.Node.RemoveAt(graph.Node.Count - 1);
        graph.Node.Insert(0, slice);
        dims[2].ClearDimParam();
        dims[2].DimValue = outer;
        dims[3].ClearDimParam();
        dims[3].DimValue = outer;
        return copy;
    }
}
