using Rekognition.Core.Models;
using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Backbones;

/// <summary>
/// Reads an ONNX backbone as the trainers use it: with its own preprocessing graph in front when it ships one (ML.NET's
/// DnnImageModels layout, <c>ResNet*Onnx/*.onnx</c> beside <c>ResNetPrepOnnx/ResNetPreprocess.onnx</c>), upgraded to the
/// training opset, its batch axis dynamic.
/// </summary>
internal static class BackboneFile
{
    /// <summary>The folder and file of ML.NET's ResNet preprocessing, beside the ResNet's own folder.</summary>
    public const string ResNetPreprocessing = "ResNetPrepOnnx/ResNetPreprocess.onnx";

    /// <summary>Reads the backbone at <paramref name="path"/>.</summary>
    public static BackboneModel Read(string path)
    {
        var model = OnnxModelFile.Read(path);
        var preprocessing = PreprocessingOf(path);
        if (preprocessing is not null)
        {
            PreprocessingPrefix.Apply(model, OnnxModelFile.Read(preprocessing), path);
        }

        OpsetUpgrade.Apply(model, path);
        ImageInput.MakeBatchDynamic(model.Graph, path);
        return new BackboneModel(model, preprocessing is not null);
    }

    /// <summary>The preprocessing model a backbone ships with, or null.</summary>
    public static string? PreprocessingOf(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        var name = Path.GetFileName(folder);
        if (folder is null || name is null || !name.StartsWith("ResNet", StringComparison.Ordinal) || !name.EndsWith("Onnx", StringComparison.Ordinal))
        {
            return null;
        }

        var candidate = Path.Combine(Path.GetDirectoryName(folder) ?? folder, ResNetPreprocessing);
        return File.Exists(candidate) ? candidate : null;
    }

    /// <summary>
    /// The input spec of a backbone: with its own preprocessing in the graph, the RGB image on 0–255 as it is; else the
    /// ImageNet convention (0–1, then the ImageNet mean and deviation).
    /// </summary>
    public static ModelInputSpec InputSpec(string inputName, int size, bool preprocessed, ResizeMode resize, float cropFraction) => preprocessed
        ? new ModelInputSpec
        {
            Name = inputName, Width = size, Height = size, Layout = TensorLayout.NCHW, Resize = resize, CropFraction = cropFraction,
            Scale = 1f, Mean = new[] { 0f, 0f, 0f }, Std = new[] { 1f, 1f, 1f },
        }
        : new ModelInputSpec
        {
            Name = inputName, Width = size, Height = size, Layout = TensorLayout.NCHW, Resize = resize, CropFraction = cropFraction,
            Scale = 1f / 255f, Mean = new[] { 0.485f, 0.456f, 0.406f }, Std = new[] { 0.229f, 0.224f, 0.225f },
        };
}

/// <summary>A backbone as read by <see cref="BackboneFile"/>; <paramref name="Preprocessed"/> when its own preprocessing is in the graph.</summary>
internal sealed record BackboneModel(ModelProto Model, bool Preprocessed);
