using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Detection;

/// <summary>
/// A whole pretrained YOLOv5 detector (Ultralytics' export layout) turned into the trainer's raw detector. Its head is
/// found by the graph's structure: the output is [N, anchors·cells, 5 + classes] over strides 8, 16 and 32, fed at each
/// level by one 1×1 convolution of anchors·(5 + classes) channels (per anchor: box, objectness, classes). The anchors'
/// sizes are read from the export's own decoding (one run: size ÷ (2σ(t))² at every location), which also confirms that
/// the decoding is YOLOv5's. Each anchor's box and objectness rows are kept; its class rows are replaced
/// (<see cref="ClassRowStart"/>). The raw rows [N, locations, 5 + labels] are decoded by <see cref="AnchorRows"/> (the loss,
/// the assignment and the export read the grid's anchors). The prediction convolutions and the last
/// <see cref="PretrainedDetectorOptions.TrainedStages"/> stages before them train.
/// </summary>
internal static class YoloV5Detector
{
    /// <summary>What a YOLOv5 detection backbone must be, for error messages.</summary>
    public const string Expected =
        "a YOLOv5 detector export (one image input [N, 3, S, S] and one output [N, anchors x cells, 5 + classes] decoded from, at each of strides 8, 16 and 32, " +
        "a 1x1 convolution of anchors x (5 + classes) channels)";

    /// <summary>
    /// Builds the fine-tuning network from <paramref name="model"/> (read by <see cref="PretrainedDetector"/>, input checked,
    /// every tensor's <paramref name="shapes"/> probed); null, the model untouched, when it does not have a YOLOv5 head.
    /// </summary>
    public static PretrainedNetwork? Build(ModelProto model, string input, int size, Dictionary<string, long[]> shapes, IReadOnlyList<string> labels, PretrainedDetectorOptions o, int seed)
    {
        var graph = model.Graph;
        if (FindHead(graph, shapes, size) is not var (convolutions, perCell, classes, output)
            || AnchorsOf(model, input, size, convolutions, perCell, classes, output) is not { } anchors)
        {
            return null;
        }

        var rows = PretrainedDetector.ClassRowsOf(model, o, classes, labels);
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var trainedConvs = new ExportedDetectorGraph(graph).TrainedConvolutions(convolutions.Select(c => new[] { c }), o.TrainedStages);
        var layers = new ConvLayers(seed, graph);
        var e = layers.Emit;
        ExportedDetectorGraph.SplitsToSlices(e, shapes);
        var classRows = new ClassRowStart(initializers, rows, seed);
        var (rowsPerAnchor, width) = (5 + classes, 5 + labels.Count);
        var levelRows = new string[3];
        for (var l = 0; l < 3; l++)
        {
            var prediction = convolutions[l];
            var perAnchor = new string[perCell];
            for (var a = 0; a < perCell; a++)
            {
                var boxAndObjectness = e.Op("Slice", new[] { prediction.Output[0], e.Int64s(a * rowsPerAnchor), e.Int64s((a * rowsPerAnchor) + 5), e.Int64s(1) });
                var classRowsOfAnchor = classRows.Convolution(e, prediction, $"cls{l}.{a}", (a * rowsPerAnchor) + 5);
                perAnchor[a] = e.Op("Concat", new[] { boxAndObjectness, classRowsOfAnchor }, OnnxAttributes.Int("axis", 1));
            }

            // [N, anchors·(5 + labels), H, W] → [N, anchors, H·W, 5 + labels] → [N, anchors·H·W, 5 + labels], YOLOv5's row order.
            var joined = e.Op("Concat", perAnchor, OnnxAttributes.Int("axis", 1));
            var byAnchor = e.Transpose(e.Reshape(joined, 0, perCell, width, -1), 0, 1, 3, 2);
            levelRows[l] = e.Reshape(byAnchor, 0, -1, width);
        }

        e.Add("Concat", levelRows, new[] { DetectorNetwork.RawOutput }, OnnxAttributes.Int("axis", 1));
        graph.Output.Clear();
        GraphPruning.KeepOnlyWhatFeeds(graph, new[] { DetectorNetwork.RawOutput });

        var grid = new DetectionGrid(size, size, DetectorNetwork.Strides, anchors);
        var finished = layers.Finish(input, size, DetectorNetwork.RawOutput, grid.Count, width, model.OpsetImport);
        return new PretrainedNetwork(finished, ExportedDetectorGraph.KeptParameters(graph, trainedConvs).Concat(classRows.Trainable).ToList(), grid,
            YoloV8Detector.UltralyticsInput(input, size), rows, RegMax: 0) { FreshRows = classRows.FreshRows };
    }

    // The per-level prediction convolutions (finest first), anchors per cell, classes and the output; null when the graph has no such head.
    private static (NodeProto[] Convolutions, int PerCell, int Classes, string Output)? FindHead(GraphProto graph, Dictionary<string, long[]> shapes, int size)
    {
        var strides = DetectorNetwork.Strides;
        var cells = strides.Sum(s => (size / s) * (size / s));
        var outputs = graph.Output.Where(o => shapes.TryGetValue(o.Name, out var s) && s.Length == 3 && s[2] > 5 && s[1] > 0 && s[1] % cells == 0).ToList();
        if (outputs.Count != 1)
        {
            return null;
        }

        var (perCell, classes) = ((int)(shapes[outputs[0].Name][1] / cells), (int)shapes[outputs[0].Name][2] - 5);
        var channels = perCell * (5 + classes);
        var index = new ExportedDetectorGraph(graph);
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var levels = new NodeProto?[strides.Count];
        foreach (var i in index.Ancestors(outputs[0].Name).Order())
        {
            var node = graph.Node[i];
            if (node.OpType != "Conv" || node.Input.Count < 2 || !initializers.TryGetValue(node.Input[1], out var weight)
                || weight.Dims.Count != 4 || weight.Dims[0] != channels || weight.Dims[2] != 1 || weight.Dims[3] != 1
                || !shapes.TryGetValue(node.Output[0], out var map) || map.Length != 4 || map[2] != map[3])
            {
                continue;
            }

            var level = strides.ToList().FindIndex(s => size / s == map[2]);
            if (level < 0 || levels[level] is not null)
            {
                return null;
            }

            levels[level] = node;
        }

        return levels.All(l => l is not null) ? (levels.Select(l => l!).ToArray(), perCell, classes, outputs[0].Name) : null;
    }

    // Runs the export once on a grey image with the prediction maps exposed; each location's anchor is its decoded size over
    // (2σ(t))² (the median over a level's cells). Null unless every decoded centre and objectness is YOLOv5's, so another
    // decoding is never mistaken for it.
    private static List<IReadOnlyList<(float Width, float Height)>>? AnchorsOf(ModelProto model, string input, int size, NodeProto[] convolutions,
        int perCell, int classes, string output)
    {
        var probe = model.Clone();
        foreach (var c in convolutions)
        {
            probe.Graph.Output.Add(new ValueInfoProto { Name = c.Output[0] });
        }

        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(probe.ToByteArray(), options);
        var image = new DenseTensor<float>(Enumerable.Repeat(0.45f, 3 * size * size).ToArray(), new[] { 1, 3, size, size });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(input, image) });
        var decoded = results.Single(r => r.Name == output).AsEnumerable<float>().ToArray();
        var stride5 = 5 + classes;
        var anchors = new List<IReadOnlyList<(float Width, float Height)>>();
        var first = 0;
        for (var l = 0; l < convolutions.Length; l++)
        {
            var raw = results.Single(r => r.Name == convolutions[l].Output[0]).AsEnumerable<float>().ToArray();
            var (stride, side) = (DetectorNetwork.Strides[l], size / DetectorNetwork.Strides[l]);
            var cells = side * side;
            var level = new List<(float, float)>();
            for (var a = 0; a < perCell; a++)
            {
                var (widths, heights) = (new float[cells], new float[cells]);
                for (var c = 0; c < cells; c++)
                {
                    float T(int k) => raw[(((a * stride5) + k) * cells) + c];
                    var row = decoded.AsSpan((first + (a * cells) + c) * stride5, stride5);
                    var centreX = ((2f * Sigmoid(T(0))) - 0.5f + (c % side)) * stride;
                    if (MathF.Abs(row[0] - centreX) > 0.01f * stride || MathF.Abs(row[4] - Sigmoid(T(4))) > 1e-3f)
                    {
                        return null;
                    }

                    var (sx, sy) = (2f * Sigmoid(T(2)), 2f * Sigmoid(T(3)));
                    (widths[c], heights[c]) = (row[2] / (sx * sx), row[3] / (sy * sy));
                }

                Array.Sort(widths);
                Array.Sort(heights);
                level.Add((widths[cells / 2], heights[cells / 2]));
            }

            anchors.Add(level);
            first += perCell * cells;
        }

        return anchors;
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
