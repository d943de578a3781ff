using Rekognition.Core.Models;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Backbones;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Detection;

/// <summary>
/// An external ONNX network whose feature maps at strides 8, 16 and 32 feed the detector's pyramid: a
/// classifier (e.g. the ImageNet MobileNetV2, int8 included) or a detector (e.g. a YOLOX export, whose neck
/// outputs are taken and whose head is dropped). Frozen by default; its last convolutions can be fine-tuned.
/// </summary>
public sealed record DetectorBackbone
{
    /// <summary>The ONNX file.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// The feature tensors at strides 8, 16 and 32, when the automatic choice is not wanted: the inputs of a
    /// YOLOX export's head stems, else the last tensor at each stride.
    /// </summary>
    public IReadOnlyList<string>? FeatureTensors { get; init; }

    /// <summary>
    /// How images become the backbone's input, when its conventions are not the automatic ones: a YOLOX
    /// export takes BGR 0–255 letterboxed at the top-left on grey 114; anything else RGB scaled to 0–1 and
    /// normalised with the ImageNet mean and deviation, letterboxed centred.
    /// </summary>
    public ModelInputSpec? Input { get; init; }

    /// <summary>How many of the backbone's last convolutions (before the taps) train with the head; 0 keeps it frozen.</summary>
    public int FineTuneConvolutions { get; init; }

    /// <summary>Reads the backbone and cuts it at its taps (dequantized where the backbone is int8).</summary>
    internal LoadedBackbone Load()
    {
        if (!File.Exists(Path))
        {
            throw new FileNotFoundException($"The detector backbone {Path} does not exist.", Path);
        }

        // A backbone that ships its preprocessing (ML.NET's ResNets) takes the RGB image on 0-255 with it in front.
        var (model, preprocessed) = BackboneFile.Read(Path);
        var graph = model.Graph;
        var initializers = new HashSet<string>(graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        if (inputs.Count != 1)
        {
            throw new NotSupportedException($"The detector backbone must have one image input; {Path} has {inputs.Count}.");
        }

        var input = inputs[0];
        var dims = input.Type.TensorType.Shape.Dim.Select(d => d.DimValue).ToArray();
        if (dims.Length != 4 || dims[1] != 3 || dims[2] <= 0 || dims[2] != dims[3] || dims[2] % 32 != 0)
        {
            throw new NotSupportedException($"The detector backbone's input must be [N, 3, S, S] with S a multiple of 32; {Path} has [{string.Join(", ", dims)}].");
        }

        var size = (int)dims[2];
        var shapes = ShapeProbe.Run(model, new Dictionary<string, long[]> { [input.Name] = new long[] { 1, 3, size, size } });
        var yolox = graph.Node.Where(n => n.OpType == "Conv" && n.Name.Contains("head/stems.", StringComparison.Ordinal)).ToList();
        var taps = FeatureTensors?.ToList() ?? (yolox.Count == 3
            ? yolox.Select(n => n.Input[0]).ToList()
            : DetectorNetwork.Strides.Select(s => LastAtStride(graph, shapes, size / s)).ToList());
        if (taps.Count != DetectorNetwork.Strides.Count)
        {
            throw new ArgumentException($"A detector backbone needs {DetectorNetwork.Strides.Count} feature tensors (strides 8, 16, 32).");
        }

        var channels = new int[taps.Count];
        for (var t = 0; t < taps.Count; t++)
        {
            var expected = size / DetectorNetwork.Strides[t];
            if (!shapes.TryGetValue(taps[t], out var shape) || shape.Length != 4 || shape[2] != expected || shape[3] != expected)
            {
                throw new ArgumentException($"The feature tensor {taps[t]} of {Path} is not a map at stride {DetectorNetwork.Strides[t]} ({expected}x{expected}).");
            }

            channels[t] = (int)shape[1];
        }

        var emit = new GraphEmitter(graph);
        var floatTaps = taps.Select(t => Dequantized(graph, emit, t)).ToList();
        graph.Output.Clear();
        GraphPruning.KeepOnlyWhatFeeds(graph, floatTaps);
        var spec = Input ?? DefaultInput(input.Name, size, yolox.Count == 3, preprocessed);
        var convolutions = graph.Node.Where(n => n.OpType == "Conv" && n.Input.Skip(1).All(initializers.Contains)).ToList();
        var fineTuned = convolutions.TakeLast(Math.Clamp(FineTuneConvolutions, 0, convolutions.Count)).SelectMany(n => n.Input.Skip(1)).ToList();
        if (FineTuneConvolutions > 0 && fineTuned.Count == 0)
        {
            throw new NotSupportedException($"The backbone {Path} has no float convolutions to fine-tune (an int8 backbone trains frozen).");
        }

        return new LoadedBackbone(model, floatTaps, channels, spec, fineTuned);
    }

    private static string LastAtStride(GraphProto graph, Dictionary<string, long[]> shapes, int side)
    {
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            foreach (var o in graph.Node[i].Output)
            {
                if (shapes.TryGetValue(o, out var s) && s.Length == 4 && s[2] == side && s[3] == side)
                {
                    return o;
                }
            }
        }

        throw new NotSupportedException($"The backbone has no feature map of {side}x{side}.");
    }

    // An int8 tap (a QLinearConv or QLinearAdd output) is read through DequantizeLinear with its producer's output scale and zero point.
    private static string Dequantized(GraphProto graph, GraphEmitter emit, string tap)
    {
        var producer = graph.Node.FirstOrDefault(n => n.Output.Contains(tap));
        if (producer?.OpType is "QLinearConv" or "QLinearAdd")
        {
            return emit.Op("DequantizeLinear", new[] { tap, producer.Input[6], producer.Input[7] });
        }

        return producer?.OpType is { } op && (op.StartsWith("QLinear", StringComparison.Ordinal) || op == "QuantizeLinear")
            ? throw new NotSupportedException($"The feature tensor {tap} comes from {op}, which is not dequantized here; name a float tensor.")
            : tap;
    }

    private static ModelInputSpec DefaultInput(string name, int size, bool yolox, bool preprocessed) => yolox
        ? new ModelInputSpec
        {
            Name = name, Width = size, Height = size, Bgr = true, Resize = ResizeMode.Letterbox, LetterboxTopLeft = true, PadValue = 114,
            Scale = 1f, Mean = new[] { 0f, 0f, 0f }, Std = new[] { 1f, 1f, 1f },
        }
        : preprocessed
        ? new ModelInputSpec
        {
            Name = name, Width = size, Height = size, Resize = ResizeMode.Letterbox, PadValue = 114,
            Scale = 1f, Mean = new[] { 0f, 0f, 0f }, Std = new[] { 1f, 1f, 1f },
        }
        : new ModelInputSpec
        {
            Name = name, Width = size, Height = size, Resize = ResizeMode.Letterbox, PadValue = 114,
            Scale = 1f / 255f, Mean = new[] { 0.485f, 0.456f, 0.406f }, Std = new[] { 0.229f, 0.224f, 0.225f },
        };
}

/// <summary>A backbone cut at its float feature taps, with the preprocessing it expects and its fine-tuned parameters.</summary>
internal sealed record LoadedBackbone(ModelProto Model, IReadOnlyList<string> Taps, IReadOnlyList<int> Channels, ModelInputSpec Input, IReadOnlyList<string> Trainable);
