using System.Text.Json.Serialization;

namespace Rekognition.Core.Models;

/// <summary>What a model predicts, which decides how its output is read.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelKind>))]
public enum ModelKind
{
    /// <summary>One label per image (softmax over the labels).</summary>
    MultiClass,

    /// <summary>Any number of labels per image (one sigmoid per label).</summary>
    MultiLabel,

    /// <summary>Labelled bounding boxes.</summary>
    Detection,
}

/// <summary>How an image is fitted to the model's input size.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResizeMode>))]
public enum ResizeMode
{
    /// <summary>Scaled to the input size, aspect ratio not kept.</summary>
    Stretch,

    /// <summary>Scaled to fit inside the input size, aspect ratio kept, the rest padded.</summary>
    Letterbox,

    /// <summary>
    /// The centred part of the image with the input's aspect ratio, <see cref="ModelInputSpec.CropFraction"/> of the
    /// largest such rectangle that fits (for a square input: a centred square of side fraction x the shorter side),
    /// scaled to the input size; the rest of the image is not seen.
    /// </summary>
    CentreCrop,
}

/// <summary>How pixels are resampled when an image is resized to the model's input.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResizeInterpolation>))]
public enum ResizeInterpolation
{
    /// <summary>Bilinear, pixel centres aligned (OpenCV's INTER_LINEAR): fast, aliases on large downscales.</summary>
    Bilinear,

    /// <summary>Averages the source pixels each output pixel covers (OpenCV's INTER_AREA) when downscaling; bilinear when upscaling.</summary>
    Area,
}

/// <summary>The memory layout of the input tensor.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TensorLayout>))]
public enum TensorLayout
{
    /// <summary>[batch, channels, height, width].</summary>
    NCHW,

    /// <summary>[batch, height, width, channels].</summary>
    NHWC,
}

/// <summary>How the model's output tensors are to be read.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutputFormat>))]
public enum OutputFormat
{
    /// <summary>One score tensor [N, labels] already in 0..1 (softmax or sigmoid inside the graph).</summary>
    Probabilities,

    /// <summary>One tensor [N, labels] of logits: softmax (multi-class) or sigmoid (multi-label) is applied after.</summary>
    Logits,

    /// <summary>Boxes [N, K, 4] as (x1, y1, x2, y2) ratios of the input and scores [N, K, labels], non-maximum suppression after.</summary>
    BoxesAndScores,

    /// <summary>A YOLOX export: [N, anchors, 5 + labels] with grid-relative centres, decoded after.</summary>
    YoloX,

    /// <summary>A YOLOv5 export: [N, anchors, 5 + labels] with (cx, cy, w, h) in input pixels, objectness, class scores.</summary>
    YoloV5,

    /// <summary>A YOLOv8 export: [N, 4 + labels, anchors] with (cx, cy, w, h) in input pixels and class scores.</summary>
    YoloV8,
}

/// <summary>
/// The metadata file beside a model version's ONNX file: what the model predicts, in which order, how
/// its input is prepared and its output read, and the facts of its training and evaluation.
/// </summary>
public sealed class ModelPackageMetadata
{
    /// <summary>The version of this file's format.</summary>
    public int FormatVersion { get; set; } = 1;

    /// <summary>Classifier or detector.</summary>
    public ModelKind Kind { get; set; }

    /// <summary>The labels in the order of the model's output.</summary>
    public List<string> Labels { get; set; } = new();

    /// <summary>How images are turned into the model's input.</summary>
    public ModelInputSpec Input { get; set; } = new();

    /// <summary>How the model's output is read.</summary>
    public ModelOutputSpec Output { get; set; } = new();

    /// <summary>
    /// Per-label score (0..1) above which a label is reported when a DetectCustomLabels call gives no
    /// MinConfidence; labels without an entry use <see cref="DefaultThreshold"/>.
    /// </summary>
    public Dictionary<string, float> AssumedThresholds { get; set; } = new();

    /// <summary>Threshold for labels missing from <see cref="AssumedThresholds"/>.</summary>
    public float DefaultThreshold { get; set; } = 0.5f;

    /// <summary>Intersection over union above which overlapping boxes of one label are suppressed (detection).</summary>
    public float NmsIouThreshold { get; set; } = 0.5f;

    /// <summary>Lowest score a detector's box needs to be considered at all (before suppression and thresholds).</summary>
    public float MinCandidateScore { get; set; } = 0.01f;

    /// <summary>Most boxes a detector reports for one image.</summary>
    public int MaxDetections { get; set; } = 100;

    /// <summary>The backbone the model was built on (a path or a built-in name), for the record.</summary>
    public string? Backbone { get; set; }

    /// <summary>Free facts about training (epochs, image counts, duration, ...), kept as written.</summary>
    public Dictionary<string, string> Training { get; set; } = new();

    /// <summary>Free facts about evaluation (F1, ...), kept as written.</summary>
    public Dictionary<string, string> Evaluation { get; set; } = new();

    /// <summary>The assumed threshold of <paramref name="label"/>.</summary>
    public float ThresholdFor(string label) => AssumedThresholds.TryGetValue(label, out var t) ? t : DefaultThreshold;
}

/// <summary>How the input image becomes the model's input tensor.</summary>
public sealed class ModelInputSpec
{
    /// <summary>The graph input's name.</summary>
    public string Name { get; set; } = "input";

    /// <summary>The input width, in pixels.</summary>
    public int Width { get; set; } = 224;

    /// <summary>The input height, in pixels.</summary>
    public int Height { get; set; } = 224;

    /// <summary>The input tensor's layout.</summary>
    public TensorLayout Layout { get; set; } = TensorLayout.NCHW;

    /// <summary>Whether channels are ordered BGR instead of RGB.</summary>
    public bool Bgr { get; set; }

    /// <summary>How an image is brought to the input size.</summary>
    public ResizeMode Resize { get; set; } = ResizeMode.Stretch;

    /// <summary>How pixels are resampled to the input size.</summary>
    public ResizeInterpolation Interpolation { get; set; } = ResizeInterpolation.Bilinear;

    /// <summary>Whether a letterboxed image sits at the top-left of the input (YOLOX) instead of centred.</summary>
    public bool LetterboxTopLeft { get; set; }

    /// <summary>
    /// For <see cref="ResizeMode.CentreCrop"/>: the shorter side of the crop as a fraction (0, 1] of the largest centred
    /// rectangle with the input's aspect ratio (0.875: the centre 224 of an image whose shorter side is resized to 256).
    /// </summary>
    public float CropFraction { get; set; } = 0.875f;

    /// <summary>Pixel value (0..255) of the letterbox padding.</summary>
    public byte PadValue { get; set; } = 114;

    /// <summary>Multiplier applied to 0..255 pixel values before the mean and std.</summary>
    public float Scale { get; set; } = 1f / 255f;

    /// <summary>Per-channel mean subtracted after scaling (RGB order).</summary>
    public float[] Mean { get; set; } = { 0.485f, 0.456f, 0.406f };

    /// <summary>Per-channel standard deviation divided by after the mean (RGB order).</summary>
    public float[] Std { get; set; } = { 0.229f, 0.224f, 0.225f };
}

/// <summary>Which output tensors hold the predictions and how to read them.</summary>
public sealed class ModelOutputSpec
{
    /// <summary>What the output tensor holds.</summary>
    public OutputFormat Format { get; set; } = OutputFormat.Probabilities;

    /// <summary>The scores tensor (or the single prediction tensor of YOLO formats).</summary>
    public string Scores { get; set; } = "scores";

    /// <summary>The boxes tensor, for <see cref="OutputFormat.BoxesAndScores"/>.</summary>
    public string? Boxes { get; set; }
}
