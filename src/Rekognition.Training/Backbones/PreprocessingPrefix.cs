using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Backbones;

/// <summary>
/// Puts a backbone's own preprocessing graph (e.g. ML.NET's ResNetPreprocess: RGB to BGR, then a mean image subtracted
/// on the 0–255 scale) in front of it, so the joined graph takes the RGB 0–255 image. Training extracts features through
/// the same graph the package serves, so both prepare images alike, and the serving fast paths only scale by 1.
/// </summary>
internal static class PreprocessingPrefix
{
    /// <summary>The prefix of the preprocessing's node, tensor and initializer names in the joined graph.</summary>
    public const string Prefix = "preprocess/";

    /// <summary>Joins <paramref name="preprocessing"/> (one input, one output) in front of <paramref name="backbone"/>'s image input, in place.</summary>
    public static void Apply(ModelProto backbone, ModelProto preprocessing, string path)
    {
        var graph = backbone.Graph;
        var input = ImageInput.Find(graph, path).Name;
        var prep = preprocessing.Graph;
        var prepInput = ImageInput.Find(prep, path).Name;
        if (prep.Output.Count != 1)
        {
            throw new NotSupportedException($"The preprocessing of {path} must have one output; it has {prep.Output.Count}.");
        }

        // The backbone's nodes read the preprocessed image; the joined graph's input keeps the backbone's name.
        var preprocessed = Prefix + prep.Output[0].Name;
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == input)
                {
                    node.Input[i] = preprocessed;
                }
            }
        }

        string Rename(string name) => name.Length == 0 ? name : name == prepInput ? input : Prefix + name;
        var nodes = prep.Node.Select((n, index) =>
        {
            // Node names must be unique; an export may leave them empty.
            var copy = n.Clone();
            copy.Name = Prefix + (n.Name.Length > 0 ? n.Name : $"{n.OpType}_{index}");
            for (var i = 0; i < copy.Input.Count; i++)
            {
                copy.Input[i] = Rename(copy.Input[i]);
            }

            for (var i = 0; i < copy.Output.Count; i++)
            {
                copy.Output[i] = Rename(copy.Output[i]);
            }

            return copy;
        }).ToList();
        for (var i = 0; i < nodes.Count; i++)
        {
            graph.Node.Insert(i, nodes[i]);
        }

        foreach (var init in prep.Initializer.Where(t => t.Name != prepInput))
        {
            var copy = init.Clone();
            copy.Name = Rename(init.Name);
            graph.Initializer.Add(copy);
        }

        // The preprocessing's opset may be newer than the backbone's; the joined graph declares the newer.
        foreach (var opset in preprocessing.OpsetImport)
        {
            var own = backbone.OpsetImport.FirstOrDefault(o => o.Domain == opset.Domain);
            if (own is null)
            {
                backbone.OpsetImport.Add(opset.Clone());
            }
            else if (own.Version < opset.Version)
            {
                own.Version = opset.Version;
            }
        }
    }
}
