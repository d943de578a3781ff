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
/// as the loss (<see cref="DflDetectionLoss"/>) and the export (<see cref="DflDetectorExport"/>) decode the raw rows
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
    /// Builds the fine-tuning network from <paramref name="model"/> (read by <see cref="PretrainedDetector"/>, input checked);
    /// null when the model does not have a YOLOv8 head.
    /// </summary>
    public static PretrainedNetwork? Build(ModelProto model, string input, int size, IReadOnlyList<string> labels, PretrainedDetectorOptions o, int seed)
    {
        var graph = model.Graph;
        var shapes = ShapeProbe.Run(model, new Dictionary<string, long[]> { [input] = new long[] { 1, 3, size, size } });
        var head = FindHead(graph, shapes, size);
        if (head is null)
        {
            return null;
        }

        var (levels, regMax, classes) = head.Value;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var names = PretrainedDetector.ClassNamesOf(model, o, classes);
        var rows = labels.Select(label => names.FindIndex(n => PretrainedDetector.SameName(n, label))).ToList();

        // Which convolutions are the head's (between each level's feature map and its two joined convolutions), and the stages before it.
        var graphIndex = new GraphIndex(graph);
        var headNodes = new HashSet<int>();
        var feedingHead = new HashSet<int>();
        foreach (var (box, cls) in levels)
        {
            var (b, c) = (graphIndex.Ancestors(box.Output[0]), graphIndex.Ancestors(cls.Output[0]));
            feedingHead.UnionWith(b.Union(c));
            var feature = b.Intersect(c).DefaultIfEmpty(-1).Max();
            var before = feature >= 0 ? graphIndex.Ancestors(graph.Node[feature].Output[0]) : new HashSet<int>();
            headNodes.UnionWith(b.Union(c).Except(before));
        }

        // Only what feeds the head counts: the decoding after it has a convolution too (DFL's).
        var convolutions = feedingHead.Order().Where(i => graph.Node[i].OpType == "Conv").ToList();
        var stages = convolutions.Where(i => !headNodes.Contains(i)).GroupBy(i => StageOf(graph.Node[i], i)).ToList();
        var trainedConvs = stages.TakeLast(Math.Clamp(o.TrainedStages, 0, stages.Count)).SelectMany(s => s)
            .Concat(convolutions.Where(headNodes.Contains)).Select(i => graph.Node[i]).ToList();

        var layers = new ConvLayers(seed, graph);
        var e = layers.Emit;
        SplitsToSlices(e, shapes);
        var classRows = new ClassRowStart(initializers, rows, seed);
        var width = (4 * regMax) + labels.Count;
        var levelRows = new string[3];
        for (var l = 0; l < 3; l++)
        {
            var (box, cls) = levels[l];
            var joined = e.Op("Concat", new[] { box.Output[0], classRows.Convolution(e, cls, l) }, OnnxAttributes.Int("axis", 1));
            levelRows[l] = e.Transpose(e.Op("Reshape", new[] { joined, e.Int64s(0, width, -1) }), 0, 2, 1);
        }

        e.Add("Concat", levelRows, new[] { DetectorNetwork.RawOutput }, OnnxAttributes.Int("axis", 1));
        graph.Output.Clear();
        GraphPruning.KeepOnlyWhatFeeds(graph, new[] { DetectorNetwork.RawOutput });

        var kept = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var pretrained = trainedConvs.SelectMany(n => n.Input.Skip(1)).Where(kept.Contains).Distinct(StringComparer.Ordinal).ToList();
        var grid = new DetectionGrid(size, size, DetectorNetwork.Strides);
        var finished = layers.Finish(input, size, DetectorNetwork.RawOutput, grid.Count, width, model.OpsetImport);
        // Ultralytics' preprocessing: RGB on 0–1, letterboxed in the centre on grey 114.
        var spec = new ModelInputSpec
        {
            Name = input, Width = size, Height = size, Resize = ResizeMode.Letterbox, PadValue = 114, Scale = 1f / 255f,
            Mean = new[] { 0f, 0f, 0f }, Std = new[] { 1f, 1f, 1f },
        };
        return new PretrainedNetwork(finished, pretrained.Concat(classRows.Trainable).ToList(), grid, spec, rows, regMax);
    }

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
        var index = new GraphIndex(graph);
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
    private static (NodeProto Box, NodeProto Classes, int BoxChannels, long Side)? Join(NodeProto join, GraphIndex index, Dictionary<string, long[]> shapes,
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

    // A PyTorch export names nodes by module path ("/model.21/cv1/conv/Conv"): the stage is the top-level module. A nameless
    // convolution is a stage of its own.
    private static string StageOf(NodeProto node, int index)
    {
        var parts = node.Name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 1 ? parts[0] : $"#{index}";
    }

    // The engine differentiates Slice but not Split (C2f blocks split their features in two): each Split becomes one Slice per
    // output, in its place, its sizes read from the probed shapes.
    private static void SplitsToSlices(GraphEmitter e, Dictionary<string, long[]> shapes)
    {
        var graph = e.Graph;
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var split = graph.Node[i];
            if (split.OpType != "Split" || !string.IsNullOrEmpty(split.Domain) || !shapes.TryGetValue(split.Input[0], out var inputShape))
            {
                continue;
            }

            var axis = OnnxAttributes.GetInt(split, "axis", 0);
            axis = axis < 0 ? axis + inputShape.Length : axis;
            graph.Node.RemoveAt(i);
            var start = 0L;
            for (var k = 0; k < split.Output.Count; k++)
            {
                var end = start + shapes[split.Output[k]][axis];
                var slice = new NodeProto { OpType = "Slice", Name = e.Fresh($"{split.Name}_slice") };
                slice.Input.Add(new[] { split.Input[0], e.Int64s(start), e.Int64s(end), e.Int64s(axis) });
                slice.Output.Add(split.Output[k]);
                graph.Node.Insert(i + k, slice);
                start = end;
            }

            i += split.Output.Count - 1;
        }
    }

    /// <summary>Which node produces each tensor, and which nodes a tensor depends on (node indexes in graph order).</summary>
    private sealed class GraphIndex
    {
        private readonly GraphProto _graph;
        private readonly Dictionary<string, int> _producer = new(StringComparer.Ordinal);

        public GraphIndex(GraphProto graph)
        {
            _graph = graph;
            for (var i = 0; i < graph.Node.Count; i++)
            {
                foreach (var o in graph.Node[i].Output)
                {
                    _producer[o] = i;
                }
            }
        }

        public NodeProto? Producer(string tensor) => _producer.TryGetValue(tensor, out var i) ? _graph.Node[i] : null;

        // The nodes tensor depends on, its producer included.
        public HashSet<int> Ancestors(string tensor)
        {
            var found = new HashSet<int>();
            var pending = new Stack<string>();
            pending.Push(tensor);
            while (pending.TryPop(out var t))
            {
                if (_producer.TryGetValue(t, out var i) && found.Add(i))
                {
                    foreach (var input in _graph.Node[i].Input)
                    {
                        pending.Push(input);
                    }
                }
            }

            return found;
        }
    }
}
