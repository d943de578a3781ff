using Google.Protobuf.Collections;
using Microsoft.ML.OnnxRuntime;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Onnx.Detection.Decoding;
using Rekognition.Onnx.Ir;
using Rekognition.Onnx.Runtime;

namespace Rekognition.Onnx.Validation;

/// <summary>
/// Checks that a package's ONNX file fits its metadata: the image input (name, float, rank 4, 3 channels
/// where the layout puts them, the metadata's size unless dynamic, batch 1 or dynamic), the output tensors
/// the format reads (names, float, label counts), and that ONNX Runtime can load the file at all.
/// Every problem is an <see cref="InvalidParameterException"/> that says what to fix.
/// </summary>
internal static class OnnxModelValidator
{
    private const int FloatElementType = (int)TensorProto.Types.DataType.Float;

    /// <summary>Validates the package's ONNX file against its metadata, and loads it once with ONNX Runtime.</summary>
    public static void Validate(ModelPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        ModelProto model;
        try
        {
            model = OnnxModelFile.Read(package.ModelPath);
        }
        catch (IOException ex)
        {
            throw new InvalidParameterException($"The model file {package.ModelPath} cannot be read: {ex.Message}", ex);
        }

        Validate(model, package.Metadata, package.ModelPath);
        CheckLoads(package.ModelPath);
    }

    /// <summary>Validates a parsed graph against <paramref name="metadata"/>; <paramref name="source"/> names the file in messages.</summary>
    public static void Validate(ModelProto model, ModelPackageMetadata metadata, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        var graph = model.Graph ?? throw Invalid(source, "it has no graph");
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        var input = inputs.FirstOrDefault(i => i.Name == metadata.Input.Name)
                    ?? throw Invalid(source, $"the graph has no input named '{metadata.Input.Name}' (its inputs: {Names(inputs)}); set input.name in the metadata");
        if (inputs.Count > 1)
        {
            throw Invalid(source, $"the graph has {inputs.Count} inputs ({Names(inputs)}); only models with one image input can run");
        }

        CheckInput(input, metadata.Input, source);
        var scores = Output(graph, metadata.Output.Scores, "output.scores", source);
        switch (metadata.Output.Format)
        {
            case OutputFormat.Probabilities or OutputFormat.Logits:
                CheckScoreRow(scores, metadata.Labels.Count, source);
                break;
            case OutputFormat.YoloX or OutputFormat.YoloV5:
                CheckRank3(scores, 2, 5 + metadata.Labels.Count, "values per box (4 box values, objectness, one score per label)", source);
                if (metadata.Output.Format == OutputFormat.YoloX && Dim(scores, 1) is { } anchors && anchors != YoloXAnchors(metadata.Input))
                {
                    throw Invalid(source, $"output '{scores.Name}' has {anchors} boxes; a YOLOX model with a {metadata.Input.Width}x{metadata.Input.Height} input has {YoloXAnchors(metadata.Input)} (strides 8, 16, 32)");
                }

                break;
            case OutputFormat.YoloV8:
                CheckRank3(scores, 1, 4 + metadata.Labels.Count, "rows (4 box values, one score per label)", source);
                break;
            case OutputFormat.BoxesAndScores:
                var boxes = Output(graph, metadata.Output.Boxes!, "output.boxes", source);
                CheckRank3(boxes, 2, 4, "values per box (x1, y1, x2, y2)", source);
                CheckRank3(scores, 2, metadata.Labels.Count, "scores per box (one per label)", source);
                if (Dim(boxes, 1) is { } k1 && Dim(scores, 1) is { } k2 && k1 != k2)
                {
                    throw Invalid(source, $"output '{boxes.Name}' has {k1} boxes but '{scores.Name}' scores {k2}");
                }

                break;
        }
    }

    /// <summary>Loads the file once with ONNX Runtime on the CPU, unoptimized: what it rejects (unknown ops, broken graphs) fails here.</summary>
    private static void CheckLoads(string path)
    {
        OnnxRuntimeLibrary.EnsureLoaded();
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        try
        {
            using var session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidParameterException($"The model file {path} cannot be loaded by ONNX Runtime: {ex.Message}", ex);
        }
    }

    private static void CheckInput(ValueInfoProto input, ModelInputSpec spec, string source)
    {
        var tensor = TensorType(input, source);
        if (tensor.ElemType != FloatElementType)
        {
            throw Invalid(source, $"input '{input.Name}' holds {ElementTypeName(tensor.ElemType)}; image inputs must be float (32-bit)");
        }

        if (tensor.Shape is null)
        {
            return; // no shape recorded: ONNX Runtime checks the tensor at the first run
        }

        var dims = tensor.Shape.Dim;
        if (dims.Count != 4)
        {
            throw Invalid(source, $"input '{input.Name}' has rank {dims.Count}; an image input is [batch, 3, height, width] (NCHW) or [batch, height, width, 3] (NHWC)");
        }

        var nchw = spec.Layout == TensorLayout.NCHW;
        var (channel, height, width) = nchw ? (1, 2, 3) : (3, 1, 2);
        if (Fixed(dims[0]) is { } batch && batch != 1)
        {
            throw Invalid(source, $"input '{input.Name}' has a fixed batch of {batch}; images are run one at a time, so the batch must be 1 or dynamic");
        }

        if (Fixed(dims[channel]) is { } channels && channels != 3)
        {
            var other = nchw ? Fixed(dims[3]) : Fixed(dims[1]);
            var hint = other == 3 ? $" (it looks like {(nchw ? "NHWC" : "NCHW")}: set input.layout)" : string.Empty;
            throw Invalid(source, $"input '{input.Name}' has {channels} channels where the {spec.Layout} layout puts them; 3 (RGB or BGR) are needed{hint}");
        }

        if ((Fixed(dims[height]) is { } h && h != spec.Height) || (Fixed(dims[width]) is { } w && w != spec.Width))
        {
            throw Invalid(source, $"input '{input.Name}' is {Show(dims[width])}x{Show(dims[height])} (width x height) but the metadata says {spec.Width}x{spec.Height}; set input.width and input.height to the model's size");
        }
    }

    private static void CheckScoreRow(ValueInfoProto output, int labels, string source)
    {
        var dims = Dims(output, source);
        if (dims is null)
        {
            return;
        }

        // [batch, labels], or [batch, labels, 1, 1] as a convolutional head leaves it.
        if (dims.Count is < 2 or > 4 || dims.Skip(2).Any(d => Fixed(d) is { } v && v != 1))
        {
            throw Invalid(source, $"output '{output.Name}' has shape [{string.Join(", ", dims.Select(Show))}]; a score output is [batch, labels]");
        }

        if (Fixed(dims[1]) is { } count && count != labels)
        {
            throw Invalid(source, $"output '{output.Name}' scores {count} labels but the metadata lists {labels}; list one label per output column, in order");
        }
    }

    private static void CheckRank3(ValueInfoProto output, int axis, int expected, string what, string source)
    {
        var dims = Dims(output, source);
        if (dims is null)
        {
            return;
        }

        if (dims.Count != 3)
        {
            throw Invalid(source, $"output '{output.Name}' has rank {dims.Count}; this output format needs rank 3");
        }

        if (Fixed(dims[axis]) is { } value && value != expected)
        {
            throw Invalid(source, $"output '{output.Name}' has {value} {what} on axis {axis}; {expected} are expected for the metadata's labels");
        }
    }

    private static ValueInfoProto Output(GraphProto graph, string name, string field, string source)
    {
        var output = graph.Output.FirstOrDefault(o => o.Name == name)
                     ?? throw Invalid(source, $"the graph has no output named '{name}' (its outputs: {Names(graph.Output)}); set {field} in the metadata");
        var tensor = TensorType(output, source);
        if (tensor.ElemType != FloatElementType)
        {
            throw Invalid(source, $"output '{name}' holds {ElementTypeName(tensor.ElemType)}; outputs must be float (32-bit)");
        }

        return output;
    }

    private static TypeProto.Types.Tensor TensorType(ValueInfoProto value, string source) =>
        value.Type?.ValueCase == TypeProto.ValueOneofCase.TensorType
            ? value.Type.TensorType
            : throw Invalid(source, $"'{value.Name}' is not a tensor");

    private static RepeatedField<TensorShapeProto.Types.Dimension>? Dims(ValueInfoProto value, string source) => TensorType(value, source).Shape?.Dim;

    private static long? Dim(ValueInfoProto value, int axis) =>
        value.Type.TensorType.Shape?.Dim is { } dims && dims.Count > axis ? Fixed(dims[axis]) : null;

    private static long? Fixed(TensorShapeProto.Types.Dimension dim) => dim.HasDimValue && dim.DimValue > 0 ? dim.DimValue : null;

    private static string Show(TensorShapeProto.Types.Dimension dim) =>
        Fixed(dim)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? (dim.HasDimParam ? dim.DimParam : "?");

    private static int YoloXAnchors(ModelInputSpec spec) => YoloDecoder.YoloXStrides.Sum(s => (spec.Width / s) * (spec.Height / s));

    private static string Names(IEnumerable<ValueInfoProto> values) => string.Join(", ", values.Select(v => $"'{v.Name}'"));

    private static string ElementTypeName(int type) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), type) ? ((TensorProto.Types.DataType)type).ToString().ToLowerInvariant() : $"element type {type}";

    private static InvalidParameterException Invalid(string source, string problem) =>
        new($"The model {source} does not fit its metadata: {problem}.");
}
