using Rekognition.Core.Model;
using Rekognition.Core.Models;

namespace Rekognition.Core.GeneralModels;

/// <summary>
/// An image classifier trained elsewhere (an ImageNet-style ONNX model: one image in, one score per class out)
/// to register as a version of a project, so it can be started and used like a Custom Labels model.
/// </summary>
public sealed class RegisterGeneralModelRequest
{
    /// <summary>The project the general model is registered in.</summary>
    public string? ProjectArn { get; set; }
    /// <summary>The new version's name in that project.</summary>
    public string? VersionName { get; set; }

    /// <summary>The ONNX file.</summary>
    public string? ModelPath { get; set; }

    /// <summary>The class names in the order of the model's output; or give <see cref="ClassNamesPath"/>.</summary>
    public List<string> ClassNames { get; set; } = new();

    /// <summary>A text file with one class name per line, in output order (e.g. imagenet_classes.txt).</summary>
    public string? ClassNamesPath { get; set; }

    /// <summary>The graph's image input (Netron, or <c>onnx.load(...).graph.input</c>, shows it).</summary>
    public string? InputName { get; set; }

    /// <summary>The graph's scores output.</summary>
    public string? OutputName { get; set; }

    /// <summary>Logits (softmax or sigmoid applied here; the default) or Probabilities (already in 0..1).</summary>
    public OutputFormat OutputFormat { get; set; } = OutputFormat.Logits;

    /// <summary>Whether each class is scored on its own (sigmoid) instead of one class per image (softmax).</summary>
    public bool MultiLabel { get; set; }

    /// <summary>The model's input width, in pixels.</summary>
    public int InputWidth { get; set; } = 224;
    /// <summary>The model's input height, in pixels.</summary>
    public int InputHeight { get; set; } = 224;
    /// <summary>The input tensor's layout.</summary>
    public TensorLayout Layout { get; set; } = TensorLayout.NCHW;

    /// <summary>Multiplier for 0..255 pixel values before mean and std; 1/255 by default.</summary>
    public float Scale { get; set; } = 1f / 255f;

    /// <summary>Per-channel mean (RGB); ImageNet's by default.</summary>
    public float[] Mean { get; set; } = { 0.485f, 0.456f, 0.406f };

    /// <summary>Per-channel standard deviation (RGB); ImageNet's by default.</summary>
    public float[] Std { get; set; } = { 0.229f, 0.224f, 0.225f };

    /// <summary>
    /// Score (0..1) a class needs when DetectCustomLabels gives no MinConfidence. 0.1 by default: with hundreds
    /// of softmax classes even a right answer rarely scores 0.5.
    /// </summary>
    public float DefaultThreshold { get; set; } = 0.1f;

    /// <summary>A description kept with the version.</summary>
    public string? VersionDescription { get; set; }
    /// <summary>Tags for the new version.</summary>
    public Dictionary<string, string> Tags { get; set; } = new();
}

/// <summary>One image classified by several model versions in one call.</summary>
public sealed class ClassifyWithModelsRequest
{
    /// <summary>The RUNNING versions to ask (1 to 10, each once), of any projects.</summary>
    public List<string> ProjectVersionArns { get; set; } = new();

    /// <summary>The image to classify (bytes or an object in a bucket).</summary>
    public Image? Image { get; set; }

    /// <summary>The confidence (0..100) every model's labels need in this call; each model's assumed thresholds when null.</summary>
    public float? MinConfidence { get; set; }

    /// <summary>Most labels per model.</summary>
    public int? MaxResults { get; set; }
}

/// <summary>The labels of each model, in the order the versions were asked.</summary>
public sealed class ClassifyWithModelsResponse
{
    /// <summary>One answer per version asked.</summary>
    public List<ModelLabels> Models { get; set; } = new();
}

/// <summary>One model's answer.</summary>
/// <param name="ProjectVersionArn">The version.</param>
/// <param name="CustomLabels">Its labels, highest confidence first.</param>
public sealed record ModelLabels(string ProjectVersionArn, List<CustomLabel> CustomLabels);
