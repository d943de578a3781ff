using System.Text.RegularExpressions;
using Rekognition.Core.Models;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Backbones;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Detection;

/// <summary>How a whole pretrained detector (the detection backbone) is fine-tuned.</summary>
public sealed record PretrainedDetectorOptions
{
    /// <summary>
    /// How many of the detector's last stages before its head train with the head (0: the head only). A stage is a
    /// top-level module of the export (YOLOX: the backbone's dark2..dark5, then each PAFPN block; YOLOv5/YOLOv8: each
    /// <c>model.N</c>).
    /// </summary>
    public int TrainedStages { get; init; } = 2;

    /// <summary>
    /// The detector's class names, when its file carries none (null: the file's <c>names</c> metadata, else COCO's 80
    /// names for an 80-class head). A dataset label with one of these names starts from that class's pretrained row.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// Epochs to train (a pretrained detector needs few): chosen by <c>detector-finetune-cv</c> (2-fold cross-validation on
    /// coco128's training photos) among 1, 2 and 4 at the default learning rate.
    /// </summary>
    public int Epochs { get; init; } = 4;

    /// <summary>
    /// AdamW's peak learning rate: small, so the pretrained head is adapted rather than relearned. Chosen with
    /// <see cref="FineTunedWeight"/> by <c>detector-finetune-cv 4 0.0005,0.001,0.002 2 0/0 none 0.1,0.2,0.3,0.5</c>: the
    /// weight-space ensemble of a stronger fine-tuning (1e-3) beat the gentle 2e-4 that was the default without it.
    /// </summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Epochs of learning-rate warm-up.</summary>
    public float WarmupEpochs { get; init; } = 1f;

    /// <summary>
    /// Whether objects are assigned to locations dynamically from the starting network's predictions (SimOTA-style,
    /// <see cref="SimOtaAssignment"/>) rather than by the fixed one-level rule the from-scratch detector uses.
    /// </summary>
    public bool DynamicAssignment { get; init; } = true;

    /// <summary>
    /// Mosaic and mixup of the training images, off for the last epochs. Off by default: <c>detector-finetune-cv</c> (2-fold
    /// cross-validation on coco128's training photos, mAP@0.5 on the held-out halves) gave 0.566 without and 0.558 with
    /// mosaic 0.5 and mixup 0.5 at 4 epochs, 0.555 and 0.546 at 8 (YOLOX-Nano's own head: 0.565).
    /// </summary>
    public ImageMixingOptions Mixing { get; init; } = new();

    /// <summary>
    /// Multi-scale input: batches at other sizes around the detector's own, sharing its parameters (the exported model
    /// keeps its own size). Off by default: <c>detector-finetune-cv 4 0.0002 2 0/0 0.85/1.15,none,0.77/1.23</c> (2-fold
    /// cross-validation on coco128's training photos, 4 epochs) gave mAP@0.5 0.566 at YOLOX-Nano's 416 alone, 0.564 with
    /// 352 and 480 beside it, 0.561 with 320 and 512 (YOLOX-Nano's own head: 0.565).
    /// </summary>
    public MultiScaleOptions MultiScale { get; init; } = new();

    /// <summary>Decay of the exponential moving average of the weights the exported model takes (0: the last weights).</summary>
    public float EmaDecay { get; init; } = 0.99f;

    /// <summary>
    /// Weight-space ensembling (WiSE-FT, Wortsman et al. 2022), a in [0, 1]: the exported model's weights are
    /// (1 − a)·pretrained + a·fine-tuned (the weight average's when <see cref="EmaDecay"/> is on) for every weight with a
    /// pretrained counterpart (box and objectness branches, trained stages, class rows started from the detector's own
    /// classes, batch-norm statistics); class rows started fresh keep their fine-tuned values. 1: the fine-tuned weights
    /// alone; 0: the pretrained detector with the fresh rows trained. 0.2, chosen by <c>detector-finetune-cv</c> (2-fold
    /// cross-validation on coco128's training photos, mAP@0.5 on the held-out halves, one training per fold scored at every
    /// a; YOLOX-Nano's own head 0.565): at 1e-3, 0.568 / 0.570 / 0.567 / 0.557 / 0.539 / 0.527 for a = 0.1 / 0.2 / 0.3 /
    /// 0.5 / 0.8 / 1; at 5e-4 and 2e-3 at most 0.566 and 0.567; at the former 2e-4 between 0.563 and 0.566 for every a.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set outside [0, 1] (or to NaN).</exception>
    public float FineTunedWeight
    {
        get => _fineTunedWeight;
        init => _fineTunedWeight = WeightSpaceEnsemble.Checked(value, nameof(FineTunedWeight));
    }

    private readonly float _fineTunedWeight = 0.2f;
}

/// <summary>
/// A pretrained detector turned into the trainer's raw detector: the network, its trainable initializers, its grid, the
/// preprocessing it expects, for each label the detector's class its row started from (-1: fresh), and the layout of its
/// box columns (<paramref name="RegMax"/> 0: YOLOX's 4 box values and objectness; more: YOLOv8's 4·RegMax distance bins).
/// </summary>
internal sealed record PretrainedNetwork(ModelProto Model, IReadOnlyList<string> Trainable, DetectionGrid Grid, ModelInputSpec Input, IReadOnlyList<int> ClassRows, int RegMax)
{
    /// <summary>For each new class weight and bias, which rows started fresh (no pretrained counterpart, <see cref="WeightSpaceEnsemble"/>).</summary>
    public IReadOnlyDictionary<string, bool[]> FreshRows { get; init; } = new Dictionary<string, bool[]>();

    /// <summary>The network without its box layout (a YOLOX detector's callers).</summary>
    public void Deconstruct(out ModelProto model, out IReadOnlyList<string> trainable, out DetectionGrid grid, out ModelInputSpec input, out IReadOnlyList<int> classRows) =>
        (model, trainable, grid, input, classRows) = (Model, Trainable, Grid, Input, ClassRows);
}

/// <summary>
/// A whole pretrained YOLOX detector (or a YOLOv8 one, <see cref="YoloV8Detector"/>) turned into the trainer's raw detector: its box and objectness predictions are
/// kept as they are; its class prediction is replaced by a new 1×1 convolution over the same features with one row
/// per dataset label — the pretrained row of the detector's class of the same name where there is one, a fresh row
/// (small weights, the prior-probability bias) otherwise. The levels' [box, objectness, classes] rows are
/// concatenated into <see cref="DetectorNetwork.RawOutput"/>, the layout <see cref="DetectionLoss"/> and
/// <see cref="DetectorExport"/> read (YOLOX's own: centre offset, log size, logits). The head and the last
/// <see cref="PretrainedDetectorOptions.TrainedStages"/> stages train; the rest stays frozen.
/// </summary>
internal static partial class PretrainedDetector
{
    /// <summary>What a detection backbone must be, for error messages.</summary>
    public const string Expected =
        "a YOLOX detector export (one image input [N, 3, S, S] and a head with reg_preds, obj_preds and cls_preds convolutions at strides 8, 16 and 32), " +
        YoloV8Detector.Expected + " or " + YoloV5Detector.Expected;

    /// <summary>
    /// Builds the fine-tuning network for <paramref name="labels"/> from the detector at <paramref name="path"/> (YOLOX by its
    /// head's names, else YOLOv8 or YOLOv5 by their graphs' structure, <see cref="YoloV8Detector"/>, <see cref="YoloV5Detector"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="NotSupportedException">The file is not a detector of the expected kind (the message says what was expected).</exception>
    public static PretrainedNetwork Build(
        string path, IReadOnlyList<string> labels, PretrainedDetectorOptions? options = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var o = options ?? new PretrainedDetectorOptions();
        var fileName = System.IO.Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The detection backbone {fileName} does not exist.", path);
        }

        ModelProto model;
        try
        {
            model = BackboneFile.Read(path).Model;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new NotSupportedException($"The detection backbone {fileName} is not a readable ONNX model ({ex.Message}); expected {Expected}.", ex);
        }

        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.ContainsKey(i.Name)).ToList();
        var dims = inputs.Count == 1 ? inputs[0].Type.TensorType.Shape.Dim.Select(d => d.DimValue).ToArray() : Array.Empty<long>();
        if (dims.Length != 4 || dims[1] != 3 || dims[2] <= 0 || dims[2] != dims[3] || dims[2] % 32 != 0)
        {
            throw new NotSupportedException($"The detection backbone {fileName} has no square image input [N, 3, S, S] with S a multiple of 32; expected {Expected}.");
        }

        var size = (int)dims[2];
        var input = inputs[0].Name;
        var heads = HeadConvolutions(graph);
        if (heads is null)
        {
            // Not YOLOX by its head's names: a YOLOv8 or YOLOv5 export, found by its graph's structure?
            var probed = ShapeProbe.Run(model, new Dictionary<string, long[]> { [input] = new long[] { 1, 3, size, size } });
            if ((YoloV8Detector.Build(model, input, size, probed, labels, o, seed) ?? YoloV5Detector.Build(model, input, size, probed, labels, o, seed)) is { } exported)
            {
                return exported;
            }
        }

        if (heads is null)
        {
            throw new NotSupportedException($"The detection backbone {fileName} is not a detector this trainer can fine-tune (its head outputs were not found); expected {Expected}. " +
                                            "An image classifier belongs in Rekognition:Training:Backbone.");
        }

        var shapes = ShapeProbe.Run(model, new Dictionary<string, long[]> { [input] = new long[] { 1, 3, size, size } });
        var pretrainedClasses = -1;
        for (var l = 0; l < 3; l++)
        {
            var side = size / DetectorNetwork.Strides[l];
            var (reg, obj, cls) = heads[l];
            if (!IsMap(shapes, reg.Output[0], 4, side) || !IsMap(shapes, obj.Output[0], 1, side) || !shapes.TryGetValue(cls.Output[0], out var clsShape)
                || !IsMap(shapes, cls.Output[0], clsShape.Length == 4 ? clsShape[1] : -1, side)
                || !initializers.TryGetValue(cls.Input[1], out var clsWeight) || clsWeight.Dims.Count != 4 || clsWeight.Dims[2] != 1 || clsWeight.Dims[3] != 1)
            {
                throw new NotSupportedException($"The head of {fileName} at stride {DetectorNetwork.Strides[l]} does not have the expected outputs (4 box, 1 objectness and a 1x1 class " +
                                                $"convolution on a {side}x{side} map); expected {Expected}.");
            }

            pretrainedClasses = (int)clsWeight.Dims[0];
        }

        var rows = ClassRowsOf(model, o, pretrainedClasses, labels);

        var stages = StagesBeforeHead(graph);
        var trainedStages = stages.TakeLast(Math.Clamp(o.TrainedStages, 0, stages.Count)).ToHashSet(StringComparer.Ordinal);
        var layers = new ConvLayers(seed, graph);
        var e = layers.Emit;
        var classRows = new ClassRowStart(initializers, rows, seed);
        var levels = new string[3];
        for (var l = 0; l < 3; l++)
        {
            var (reg, obj, cls) = heads[l];
            var classes = classRows.Convolution(e, cls, $"cls{l}");
            var joined = e.Op("Concat", new[] { reg.Output[0], obj.Output[0], classes }, OnnxAttributes.Int("axis", 1));
            var flat = e.Op("Reshape", new[] { joined, e.Int64s(0, 5 + labels.Count, -1) });
            levels[l] = e.Transpose(flat, 0, 2, 1);
        }

        e.Add("Concat", levels, new[] { DetectorNetwork.RawOutput }, OnnxAttributes.Int("axis", 1));
        graph.Output.Clear();
        GraphPruning.KeepOnlyWhatFeeds(graph, new[] { DetectorNetwork.RawOutput });

        // The head's own parameters (but the replaced class rows, pruned away) and the last stages' train.
        var kept = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var pretrained = graph.Node
            .Where(n => n.OpType == "Conv" && n.Name.Length > 0 && (IsHead(n.Name) || trainedStages.Contains(StageOf(n.Name))))
            .SelectMany(n => n.Input.Skip(1))
            .Where(t => kept.Contains(t) && !classRows.Trainable.Contains(t))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var grid = new DetectionGrid(size, size, DetectorNetwork.Strides);
        var finished = layers.Finish(input, size, DetectorNetwork.RawOutput, grid.Count, 5 + labels.Count, model.OpsetImport);
        var spec = new ModelInputSpec
        {
            Name = input, Width = size, Height = size, Bgr = true, Resize = ResizeMode.Letterbox, LetterboxTopLeft = true, PadValue = 114,
            Scale = 1f, Mean = new[] { 0f, 0f, 0f }, Std = new[] { 1f, 1f, 1f },
        };
        return new PretrainedNetwork(finished, pretrained.Concat(classRows.Trainable).ToList(), grid, spec, rows, RegMax: 0) { FreshRows = classRows.FreshRows };
    }

    // The reg/obj/cls prediction convolutions per level (YOLOX's PyTorch export names them head/{reg,obj,cls}_preds.{level}); null when incomplete.
    private static (NodeProto Reg, NodeProto Obj, NodeProto Cls)[]? HeadConvolutions(GraphProto graph)
    {
        var found = new Dictionary<(string Kind, int Level), NodeProto>();
        foreach (var node in graph.Node.Where(n => n.OpType == "Conv"))
        {
            var match = HeadPrediction().Match(node.Name);
            if (match.Success)
            {
                found[(match.Groups[1].Value, int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))] = node;
            }
        }

        var levels = new (NodeProto, NodeProto, NodeProto)[3];
        for (var l = 0; l < 3; l++)
        {
            if (!found.TryGetValue(("reg", l), out var reg) || !found.TryGetValue(("obj", l), out var obj) || !found.TryGetValue(("cls", l), out var cls))
            {
                return null;
            }

            levels[l] = (reg, obj, cls);
        }

        return levels;
    }

    private static bool IsMap(Dictionary<string, long[]> shapes, string tensor, long channels, int side) =>
        shapes.TryGetValue(tensor, out var s) && s.Length == 4 && s[1] == channels && s[2] == side && s[3] == side;

    /// <summary>For each label, the detector's class of the same name (-1: none; see <see cref="ClassNamesOf"/> and <see cref="SameName"/>).</summary>
    internal static List<int> ClassRowsOf(ModelProto model, PretrainedDetectorOptions o, int classes, IReadOnlyList<string> labels)
    {
        var names = ClassNamesOf(model, o, classes);
        return labels.Select(label => names.FindIndex(n => SameName(n, label))).ToList();
    }

    /// <summary>The detector's class names: the options', else the file's <c>names</c> metadata, else COCO's for an 80-class head (empty: unknown).</summary>
    private static List<string> ClassNamesOf(ModelProto model, PretrainedDetectorOptions o, int classes)
    {
        if (o.ClassNames is { } given)
        {
            return given.ToList();
        }

        // YOLOv8-style metadata: names = {0: 'person', 1: 'bicycle', ...}.
        if (model.MetadataProps.FirstOrDefault(p => p.Key == "names") is { } meta)
        {
            var names = MetadataName().Matches(meta.Value).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToList();
            if (names.Count == classes)
            {
                return names;
            }
        }

        return classes == CocoClassNames.All.Count ? CocoClassNames.All.ToList() : new List<string>();
    }

    /// <summary>Whether a dataset label and a detector class are the same (case, underscores and outer spaces ignored).</summary>
    private static bool SameName(string a, string b) =>
        string.Equals(a.Replace('_', ' ').Trim(), b.Replace('_', ' ').Trim(), StringComparison.OrdinalIgnoreCase);

    private static bool IsHead(string nodeName) => nodeName.Contains("head/", StringComparison.Ordinal) || nodeName.StartsWith("head.", StringComparison.Ordinal);

    /// <summary>The stages (top-level modules) of the convolutions before the head, in graph order.</summary>
    internal static List<string> StagesBeforeHead(GraphProto graph) =>
        graph.Node.Where(n => n.OpType == "Conv" && !IsHead(n.Name))
            .Select(n => StageOf(n.Name)).Distinct(StringComparer.Ordinal).ToList();

    // "/backbone/backbone/dark5/..." → "backbone/backbone/dark5"; "/backbone/C3_n4/..." → "backbone/C3_n4" (a PyTorch export's module path).
    private static string StageOf(string nodeName)
    {
        var parts = nodeName.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var depth = parts.Length > 3 && parts[0] == parts[1] ? 3 : 2;
        return string.Join('/', parts.Take(Math.Min(depth, Math.Max(1, parts.Length - 1))));
    }

    [GeneratedRegex(@"head[/.](reg|obj|cls)_preds\.(\d+)")]
    private static partial Regex HeadPrediction();

    [GeneratedRegex(@"\d+\s*:\s*(?:'([^']*)'|""([^""]*)"")")]
    private static partial Regex MetadataName();
}
