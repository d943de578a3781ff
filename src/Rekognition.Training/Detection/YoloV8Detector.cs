using Rekognition.Core.Models;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Detection;

/// <summary>
/// A whole pretrained YOLOv8 detector (Ultralytics' export layout) turned into the trainer's raw detector. Its head is
/// found by the graph's structure, not by node names: the model's output is [N, 4 + classes, anchors] over strides 8, 16
/// and 32, and on the way to it each level joins (Concat on channels) a box convolution of 4·reg_max distance bins and a
/// 1×1 class convolution of one channel per class. The box convolution's output is kept as it is; the class convolution is
/// replaced (<see cref="ClassRowStart"/>); the decoding after the joins (DFL, anchor points, strides, sigmoid) is cut off,
/// as the loss (<see cref="DflDetectionLoss"/>) and the export (<see cref="DetectorExport"/>) decode the raw rows
/// [N, locations, 4·reg_max + labels] themselves. The head's convolutions (everything between the level's feature map
/// and the two joined convolutions) and the last <see cref="PretrainedDetectorOptions.TrainedStages"/> stages before it train.
/// </summary>
internal static class YoloV8Detector
{
    /// <summary>What a YOLOv8 detection backbone must be, for error messages.</summary>
    public const string Expected =
        "a YOLOv8 detector export (one image input [N, 3, S, S] and one output [N, 4 + classes, anchors] decoded from, at each of strides 8, 16 and 32, " +
        "a box convolution of 4 x reg_max distance bins joined with a 1x1 class convolution)";

    /// <summary>
    /// Builds the fine-tuning network from <paramref name="model"/> (read by <see cref="PretrainedDetector"/>, input checked,
    /// every tensor's <paramref name="shapes"/> probed); null, the model untouched, when it does not have a YOLOv8 head.
    /// </summary>
    public static PretrainedNetwork? Build(ModelProto model, string input, int size, Dictionary<string, long[]> shapes, IReadOnlyList<string> labels, PretrainedDetectorOptions o, int seed)
    {
        var graph = model.Graph;
        var head = FindHead(graph, shapes, size);
        if (head is null)
        {
            return null;
        }

        var (levels, regMax, classes) = head.Value;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var rows = PretrainedDetector.ClassRowsOf(model, o, classes, labels);

        var trainedConvs = new ExportedDetectorGraph(graph).TrainedConvolutions(levels.Select(l => new[] { l.Box, l.Classes }), o.TrainedStages);
        var layers = new ConvLayers(seed, graph);
        var e = layers.Emit;
        ExportedDetectorGraph.SplitsToSlices(e, shapes);
        var classRows = new ClassRowStart(initializers, rows, seed);
        var width = (4 * regMax) + labels.Count;
        var levelRows = new string[3];
        for (var l = 0; l < 3; l++)
        {
            var (box, cls) = levels[l];
            var joined = e.Op("Concat", new[] { box.Output[0], classRows.Convolution(e, cls, $"cls{l}") }, OnnxAttributes.Int("axis", 1));
            levelRows[l] = e.Transpose(e.Op("Reshape", new[] { joined, e.Int64s(0, width, -1) }), 0, 2, 1);
        }

        e.Add("Concat", levelRows, new[] { DetectorNetwork.RawOutput }, OnnxAttributes.Int("axis", 1));
        graph.Output.Clear();
        GraphPruning.KeepOnlyWhatFeeds(graph, new[] { DetectorNetwork.RawOutput });

        var grid = new DetectionGrid(size, size, DetectorNetwork.Strides);
        var finished = layers.Finish(input, size, DetectorNetwork.RawOutput, grid.Count, width, model.OpsetImport);
        return new PretrainedNetwork(finished, ExportedDetectorGraph.KeptParameters(graph, trainedConvs).Concat(classRows.Trainable).ToList(), grid,
            UltralyticsInput(input, size), rows, regMax) { FreshRows = classRows.FreshRows };
    }

    /// <summary>Ultralytics' preprocessing (YOLOv5, YOLOv8): RGB on 0–1, letterboxed in the centre on grey 114.</summary>
    public static ModelInputSpec UltralyticsInput(string input, int size) => new()
    {
        Name = input, Width = size, Height = size, Resize = ResizeMode.Letterbox, PadValue = 114, Scale = 1f / 255f,
        Mean = new[] { 0f, 0f, 0f }, Std = new[] { 1f, 1f, 1f },
    };

    /// <summary>
    /// The per-level (box, class) convolutions of a YOLOv8 head, finest level first, with reg_max and the class count; null
    /// when the graph has no such head. Only joins that feed the decoded output count, so a backbone's own concatenations do not.
    /// </summary>
    internal static ((NodeProto Box, NodeProto Classes)[] Levels, int RegMax, int Classes)? FindHead(GraphProto graph, Dictionary<string, long[]> shapes, int size)
    {
        var strides = DetectorNetwork.Strides;
        var anchors = strides.Sum(s => (size / s) * (size / s));
        var output = graph.Output.Where(o => shapes.TryGetValue(o.Name, out var s) && s.Length == 3 && s[1] > 4 && s[2] == anchors).ToList();
        if (output.Count != 1)
        {
            return null;
        }

        var classes = (int)shapes[output[0].Name][1] - 4;
        var index = new ExportedDetectorGraph(graph);
        var feeding = index.Ancestors(output[0].Name);
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var levels = new (NodeProto Box, NodeProto Classes)?[strides.Count];
        var regMax = -1;
        foreach (var i in feeding.Order())
        {
            if (Join(graph.Node[i], index, shapes, initializers, classes) is not var (box, cls, boxChannels, side))
            {
                continue;
            }

            var level = strides.ToList().FindIndex(s => size / s == side);
            if (level < 0 || levels[level] is not null || (regMax >= 0 && regMax != boxChannels / 4))
            {
                return null;
            }

            levels[level] = (box, cls);
            regMax = boxChannels / 4;
        }

        return levels.All(l => l is not null) ? (levels.Select(l => l!.Value).ToArray(), regMax, classes) : null;
    }

    // A Concat on channels of a box convolution (a multiple of 4 channels) and a 1×1 class convolution (one channel per class)
    // on one square map; null otherwise.
    private static (NodeProto Box, NodeProto Classes, int BoxChannels, long Side)? Join(NodeProto join, ExportedDetectorGraph index, Dictionary<string, long[]> shapes,
        Dictionary<string, TensorProto> initializers, int classes)
    {
        if (join.OpType != "Concat" || join.Input.Count != 2 || OnnxAttributes.GetInt(join, "axis", 0) is not (1 or -3)
            || !shapes.TryGetValue(join.Output[0], out var joined) || joined.Length != 4 || joined[2] != joined[3]
            || index.Producer(join.Input[0]) is not { OpType: "Conv" } box || index.Producer(join.Input[1]) is not { OpType: "Conv" } cls
            || !initializers.TryGetValue(cls.Input[1], out var weight) || weight.Dims.Count != 4 || weight.Dims[0] != classes || weight.Dims[2] != 1 || weight.Dims[3] != 1)
        {
            return null;
        }

        var boxChannels = (int)shapes[join.Input[0]][1];
        return boxChannels > 0 && boxChannels % 4 == 0 ? (box, cls, boxChannels, joined[2]) : null;
    }
}
