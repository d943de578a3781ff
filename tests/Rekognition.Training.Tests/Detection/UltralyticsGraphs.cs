using Google.Protobuf;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Tests.Detection;

/// <summary>
/// Writes small detectors in Ultralytics' export layouts, with random weights, on one backbone: a strided SiLU network with
/// a C2f-style block (a Split) and a top-down neck (Resize, Concat) giving maps at strides 8, 16 and 32. Node names follow
/// the exports' module paths (<c>/model.N/...</c>).
/// </summary>
internal static class UltralyticsGraphs
{
    public const string Input = "images";
    public const string Output = "output0";
    private static readonly int[] Strides = { 8, 16, 32 };

    /// <summary>How the written graph departs from the real layout, for the bad-input tests.</summary>
    public enum Variant
    {
        /// <summary>The real layout.</summary>
        Real,

        /// <summary>Every node name removed: the head must be found by structure alone.</summary>
        Nameless,

        /// <summary>The class branch ends in a 3×3 convolution, so no level has the expected class convolution.</summary>
        NoClassConvolution,
    }

    /// <summary>YOLOv5's COCO anchors (input pixels at 640) per level.</summary>
    public static readonly (float Width, float Height)[][] YoloV5Anchors =
    {
        new[] { (10f, 13f), (16f, 30f), (33f, 23f) }, new[] { (30f, 61f), (62f, 45f), (59f, 119f) }, new[] { (116f, 90f), (156f, 198f), (373f, 326f) },
    };

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> and returns it.</summary>
    public static ModelProto Write(string path, ModelProto model)
    {
        File.WriteAllBytes(path, model.ToByteArray());
        return model;
    }

    /// <summary>
    /// A YOLOv8 export: the Detect head — per level a box branch ending in a 1×1 convolution of 4·regMax distance bins and a
    /// class branch ending in a 1×1 convolution of one channel per class, joined on channels, flattened and concatenated over
    /// the levels, split, decoded by DFL (softmax over bins, a 1×1 convolution with the bin values), anchor points and strides
    /// into (cx, cy, w, h) pixels, and joined with the class sigmoids into one output [1, 4 + classes, anchors].
    /// </summary>
    public static ModelProto YoloV8(int size, IReadOnlyList<string> classes, int regMax = 16, Variant variant = Variant.Real, int seed = 5)
    {
        var graph = new GraphProto { Name = "yolov8-fixture" };
        var w = new Writer(graph, seed);
        var c = classes.Count;
        var features = Backbone(w);
        var anchorCount = Strides.Sum(s => (size / s) * (size / s));
        w.Module(8, () =>
        {
            var levels = new string[3];
            for (var l = 0; l < 3; l++)
            {
                var (f, channels) = features[l];
                var box = w.Conv(w.ConvSilu(w.ConvSilu(f, channels, 16, 3, 1), 16, 16, 3, 1), 16, 4 * regMax, 1, 1);
                var classKernel = variant == Variant.NoClassConvolution ? 3 : 1;
                var cls = w.Conv(w.ConvSilu(w.ConvSilu(f, channels, 16, 3, 1), 16, 16, 3, 1), 16, c, classKernel, 1, Enumerable.Repeat(-4f, c).ToArray());
                levels[l] = w.E.Reshape(w.E.Op("Concat", new[] { box, cls }, OnnxAttributes.Int("axis", 1)), 1, (4 * regMax) + c, -1);
            }

            var all = w.E.Op("Concat", levels, OnnxAttributes.Int("axis", 2));
            var parts = w.E.OpMulti("Split", new[] { all, w.E.Int64s(4 * regMax, c) }, 2, OnnxAttributes.Int("axis", 1));
            // DFL: [1, 4·R, A] → [1, 4, R, A] → bins on axis 1 → softmax → expectation by a 1×1 convolution with the bin values.
            var bins = w.E.Transpose(w.E.Reshape(parts[0], 1, 4, regMax, anchorCount), 0, 2, 1, 3);
            var softmax = w.E.Op("Softmax", new[] { bins }, OnnxAttributes.Int("axis", 1));
            var binValues = w.E.Floats("dfl.conv.weight", Enumerable.Range(0, regMax).Select(i => (float)i).ToArray(), new long[] { 1, regMax, 1, 1 });
            var distances = w.E.Reshape(w.E.Op("Conv", new[] { softmax, binValues }), 1, 4, anchorCount);
            var (anchors, strides) = AnchorsAndStrides(size);
            var anchorPoints = w.E.Floats("anchors", anchors, new long[] { 2, anchorCount });
            var lt = w.E.Op("Slice", new[] { distances, w.E.Int64s(0), w.E.Int64s(2), w.E.Int64s(1) });
            var rb = w.E.Op("Slice", new[] { distances, w.E.Int64s(2), w.E.Int64s(4), w.E.Int64s(1) });
            var (x1y1, x2y2) = (w.E.Sub(anchorPoints, lt), w.E.Add(anchorPoints, rb));
            var centre = w.E.Div(w.E.Add(x1y1, x2y2), w.E.Scalar(2f));
            var boxes = w.E.Mul(w.E.Op("Concat", new[] { centre, w.E.Sub(x2y2, x1y1) }, OnnxAttributes.Int("axis", 1)), w.E.Floats("strides", strides, new long[] { 1, anchorCount }));
            w.E.Add("Concat", new[] { boxes, w.E.Op("Sigmoid", new[] { parts[1] }) }, new[] { Output }, OnnxAttributes.Int("axis", 1));
            return Output;
        });
        if (variant == Variant.Nameless)
        {
            foreach (var node in graph.Node)
            {
                node.Name = "";
            }
        }

        return Finish(graph, size, classes, new long[] { 1, 4 + c, anchorCount });
    }

    /// <summary>
    /// A YOLOv5 export: per level one 1×1 convolution of anchors·(5 + classes) channels, viewed as [1, anchors, 5 + classes,
    /// H, W], permuted to [1, anchors, H, W, 5 + classes], passed through a sigmoid and decoded — centre (2σ − 0.5 + cell)·stride,
    /// size (2σ)²·anchor — then flattened and concatenated over the levels into one output [1, anchors·cells, 5 + classes].
    /// </summary>
    public static ModelProto YoloV5(int size, IReadOnlyList<string> classes, (float Width, float Height)[][] anchors, int seed = 5)
    {
        var graph = new GraphProto { Name = "yolov5-fixture" };
        var w = new Writer(graph, seed);
        var c = classes.Count;
        var features = Backbone(w);
        var perCell = anchors[0].Length;
        w.Module(8, () =>
        {
            var levels = new string[3];
            for (var l = 0; l < 3; l++)
            {
                var ((f, channels), stride, side) = (features[l], Strides[l], size / Strides[l]);
                var bias = Enumerable.Range(0, perCell * (5 + c)).Select(i => i % (5 + c) < 4 ? 0f : -4f).ToArray();
                var map = w.Conv(f, channels, perCell * (5 + c), 1, 1, bias);
                var sigmoid = w.E.Op("Sigmoid", new[] { w.E.Transpose(w.E.Reshape(map, 1, perCell, 5 + c, side, side), 0, 1, 3, 4, 2) });
                string Last(long from, long to) => w.E.Op("Slice", new[] { sigmoid, w.E.Int64s(from), w.E.Int64s(to), w.E.Int64s(4) });
                var cellGrid = new float[perCell * side * side * 2];
                var anchorGrid = new float[perCell * 2];
                for (var a = 0; a < perCell; a++)
                {
                    (anchorGrid[2 * a], anchorGrid[(2 * a) + 1]) = anchors[l][a];
                    for (var i = 0; i < side * side; i++)
                    {
                        (cellGrid[(((a * side * side) + i) * 2)], cellGrid[(((a * side * side) + i) * 2) + 1]) = (i % side, i / side);
                    }
                }

                var two = w.E.Scalar(2f);
                var xy = w.E.Mul(w.E.Add(w.E.Sub(w.E.Mul(Last(0, 2), two), w.E.Scalar(0.5f)),
                    w.E.Floats("grid", cellGrid, new long[] { 1, perCell, side, side, 2 })), w.E.Scalar(stride));
                var doubled = w.E.Mul(Last(2, 4), two);
                var wh = w.E.Mul(w.E.Mul(doubled, doubled), w.E.Floats("anchor_grid", anchorGrid, new long[] { 1, perCell, 1, 1, 2 }));
                var decoded = w.E.Op("Concat", new[] { xy, wh, Last(4, 5 + c) }, OnnxAttributes.Int("axis", 4));
                levels[l] = w.E.Reshape(decoded, 1, perCell * side * side, 5 + c);
            }

            w.E.Add("Concat", levels, new[] { Output }, OnnxAttributes.Int("axis", 1));
            return Output;
        });
        return Finish(graph, size, classes, new long[] { 1, perCell * Strides.Sum(s => (size / s) * (size / s)), 5 + c });
    }

    private static (string Tensor, int Channels)[] Backbone(Writer w)
    {
        var x = w.Module(0, () => w.ConvSilu(Input, 3, 8, 3, 2));
        x = w.Module(1, () => w.ConvSilu(x, 8, 16, 3, 2));
        x = w.Module(2, () =>
        {
            // C2f: a 1×1 convolution split in two halves, a bottleneck on the second, all three joined.
            var halves = w.E.OpMulti("Split", new[] { w.ConvSilu(x, 16, 16, 1, 1), w.E.Int64s(8, 8) }, 2, OnnxAttributes.Int("axis", 1));
            var bottleneck = w.ConvSilu(halves[1], 8, 8, 3, 1);
            var joined = w.E.Op("Concat", new[] { halves[0], halves[1], bottleneck }, OnnxAttributes.Int("axis", 1));
            return w.ConvSilu(joined, 24, 16, 1, 1);
        });
        var p3 = w.Module(3, () => w.ConvSilu(x, 16, 24, 3, 2));
        var p4 = w.Module(4, () => w.ConvSilu(p3, 24, 32, 3, 2));
        var p5 = w.Module(5, () => w.ConvSilu(p4, 32, 32, 3, 2));
        var n4 = w.Module(6, () => w.ConvSilu(w.E.Op("Concat", new[] { w.Upsample(p5), p4 }, OnnxAttributes.Int("axis", 1)), 64, 32, 3, 1));
        var n3 = w.Module(7, () => w.ConvSilu(w.E.Op("Concat", new[] { w.Upsample(n4), p3 }, OnnxAttributes.Int("axis", 1)), 56, 24, 3, 1));
        return new[] { (n3, 24), (n4, 32), (p5, 32) };
    }

    private static ModelProto Finish(GraphProto graph, int size, IReadOnlyList<string> classes, long[] output)
    {
        graph.Input.Add(OnnxTensors.ValueInfo(Input, OnnxTensors.Float, new long[] { 1, 3, size, size }));
        graph.Output.Add(OnnxTensors.ValueInfo(Output, OnnxTensors.Float, output));
        var model = new ModelProto { IrVersion = 8, ProducerName = "pytorch", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        model.MetadataProps.Add(new StringStringEntryProto
        {
            Key = "names", Value = "{" + string.Join(", ", classes.Select((name, i) => $"{i}: '{name}'")) + "}",
        });
        return model;
    }

    /// <summary>Anchor points (cell centres in grid units, [2, anchors]: all x then all y) and strides [anchors], as Ultralytics makes them.</summary>
    public static (float[] Anchors, float[] Strides) AnchorsAndStrides(int size)
    {
        var count = Strides.Sum(s => (size / s) * (size / s));
        var (anchors, strides) = (new float[2 * count], new float[count]);
        var i = 0;
        foreach (var s in Strides)
        {
            for (var y = 0; y < size / s; y++)
            {
                for (var x = 0; x < size / s; x++, i++)
                {
                    (anchors[i], anchors[count + i], strides[i]) = (x + 0.5f, y + 0.5f, s);
                }
            }
        }

        return (anchors, strides);
    }

    // Writes convolutions with random weights (He-uniform, so the signal neither dies nor explodes through the SiLU stack, as a
    // trained network's does not) and names each module's nodes by its path.
    private sealed class Writer(GraphProto graph, int seed)
    {
        private static readonly float[] UpsampleScales = [1f, 1f, 2f, 2f];
        private readonly Random _random = new(seed);
        private int _convs;

        public GraphEmitter E { get; } = new(graph);

        public string Module(int index, Func<string> body)
        {
            var first = graph.Node.Count;
            var output = body();
            for (var i = first; i < graph.Node.Count; i++)
            {
                graph.Node[i].Name = $"/model.{index}/{graph.Node[i].OpType}_{i}";
            }

            return output;
        }

        public string Conv(string x, int inChannels, int outChannels, int kernel, int stride, float[]? bias = null)
        {
            var bound = MathF.Sqrt(6f / (inChannels * kernel * kernel));
            var weight = new float[outChannels * inChannels * kernel * kernel];
            for (var i = 0; i < weight.Length; i++)
            {
                weight[i] = ((2f * _random.NextSingle()) - 1f) * bound;
            }

            var id = _convs++;
            var weightName = E.Floats($"conv{id}.weight", weight, new long[] { outChannels, inChannels, kernel, kernel });
            var biasName = E.Floats($"conv{id}.bias", bias ?? new float[outChannels], new long[] { outChannels });
            var pad = kernel / 2;
            return E.Op("Conv", new[] { x, weightName, biasName }, OnnxAttributes.Ints("kernel_shape", new long[] { kernel, kernel }),
                OnnxAttributes.Ints("strides", new long[] { stride, stride }), OnnxAttributes.Ints("pads", new long[] { pad, pad, pad, pad }));
        }

        public string ConvSilu(string x, int inChannels, int outChannels, int kernel, int stride)
        {
            var y = Conv(x, inChannels, outChannels, kernel, stride);
            return E.Mul(y, E.Op("Sigmoid", new[] { y }));
        }

        public string Upsample(string x) =>
            E.Op("Resize", new[] { x, "", E.Floats("scales", UpsampleScales, new long[] { 4 }) }, OnnxAttributes.String("mode", "nearest"));
    }
}
