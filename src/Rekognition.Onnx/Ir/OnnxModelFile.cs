using Google.Protobuf;
using Rekognition.Core.Model;
using Rekognition.Core.Storage;

namespace Rekognition.Onnx.Ir;

/// <summary>Reads and writes ONNX files as <see cref="ModelProto"/> (the schema in Protos/onnx.proto).</summary>
public static class OnnxModelFile
{
    /// <summary>Reads an ONNX file; a file that is not one gets <see cref="InvalidParameterException"/>.</summary>
    public static ModelProto Read(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            var model = ModelProto.Parser.ParseFrom(stream);
            if (model.Graph is null)
            {
                throw new InvalidParameterException($"{path} is not an ONNX model: it has no graph.");
            }

            return model;
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidParameterException($"{path} is not an ONNX model: {ex.Message}");
        }
    }

    /// <summary>Writes <paramref name="model"/> to a temporary name and renames it, so a half-written file never exists.</summary>
    public static void Write(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.Write(path, model.WriteTo);
    }
}
