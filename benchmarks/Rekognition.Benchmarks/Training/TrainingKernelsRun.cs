using System.Diagnostics;
using System.Globalization;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Runtime;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// Each C# training kernel against the standard ONNX ops it replaces, one layer at a time at the small ResNet's
/// shapes (batch 32, 2 threads): the same one-layer training graph built with custom kernels on and off, their steps
/// alternated in this process, medians and their ratio printed per layer. A conv layer's graph computes only the
/// forward conv and the weight gradient (its input is data); a batch-norm layer's, the forward and the backward of
/// batch norm (+ ReLU, + the residual Add before it):
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- training-kernels [steps]
/// </summary>
internal static class TrainingKernelsRun
{
    public static int Run(string[] args)
    {
        var steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var layers = new (string Name, Func<(ModelProto Model, List<string> Trainable, Dictionary<string, long[]> Shapes)> Build)[]
        {
            ("conv 3x3 32->32 64x64 dW", () => Conv(32, 32, 64, 3, 1)),
            ("conv 3x3 32->64 s2 64x64 dW", () => Conv(32, 64, 64, 3, 2)),
            ("conv 3x3 64->64 32x32 dW", () => Conv(64, 64, 32, 3, 1)),
            ("conv 3x3 128->128 16x16 dW", () => Conv(128, 128, 16, 3, 1)),
            ("conv 1x1 32->64 s2 64x64 dW", () => Conv(32, 64, 64, 1, 2)),
            ("conv 3x3 256->256 8x8 as one GEMM (columns)", () => Conv(256, 256, 8, 3, 1)),
            ("conv 3x3 128->256 s2 16x16 as one GEMM (columns)", () => Conv(128, 256, 16, 3, 2)),
            ("bn+relu 32 64x64", () => BatchNorm(32, 64, relu: true)),
            ("bn 64 32x32", () => BatchNorm(64, 32, relu: false)),
            ("bn+add+relu 32 64x64 (residual end)", () => BatchNorm(32, 64, relu: true, residual: true)),
        };
        foreach (var (name, build) in layers)
        {
            var (model, trainable, shapes) = build();
            using var custom = Session(model, trainable, shapes, customKernels: true);
            using var standard = Session(model, trainable, shapes, customKernels: false);
            var (customTimes, standardTimes) = (new List<double>(), new List<double>());
            for (var i = 0; i < steps + 2; i++)
            {
                var (first, second, firstTimes, secondTimes) = i % 2 == 0 ? (custom, standard, customTimes, standardTimes) : (standard, custom, standardTimes, customTimes);
                var a = Time(first);
                var b = Time(second);
                if (i >= 2)
                {
                    firstTimes.Add(a);
                    secondTimes.Add(b);
                }
            }

            var (c, s) = (ResNetStepBenchmarks.Median(customTimes), ResNetStepBenchmarks.Median(standardTimes));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"KERNEL {name}: custom {c * 1000:F1} ms, standard {s * 1000:F1} ms, ratio {c / s:F2} (per-step ratios {string.Join(' ', customTimes.Zip(standardTimes, (x, y) => (x / y).ToString("F2", CultureInfo.InvariantCulture)))})"));
        }

        return 0;
    }

    private static double Time(TrainingGraphSession session)
    {
        var clock = Stopwatch.StartNew();
        session.Run();
        return clock.Elapsed.TotalSeconds;
    }

    private static TrainingGraphSession Session(ModelProto model, List<string> trainable, Dictionary<string, long[]> shapes, bool customKernels)
    {
        var graph = TrainingGraphBuilder.Build(model, trainable, "y", new WeightedSumLoss(), shapes, customKernels: customKernels);
        var session = new TrainingGraphSession(graph, threads: 2);
        var random = new Random(1);
        foreach (var input in graph.DataInputs.Concat(graph.LabelInputs))
        {
            var buffer = session.Input(input);
            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = (random.NextSingle() * 2) - 1;
            }
        }

        return session;
    }

    private static (ModelProto, List<string>, Dictionary<string, long[]>) Conv(int cin, int cout, int size, int kernel, int stride)
    {
        var graph = new GraphProto { Name = "conv" };
        graph.Input.Add(OnnxTensors.ValueInfo("x", OnnxTensors.Float, new long[] { 32, cin, size, size }));
        var random = new Random(2);
        graph.Initializer.Add(OnnxTensors.FromFloats("w", Enumerable.Range(0, cout * cin * kernel * kernel).Select(_ => (random.NextSingle() - 0.5f) * 0.1f).ToArray(), new long[] { cout, cin, kernel, kernel }));
        var node = new NodeProto { OpType = "Conv", Name = "conv" };
        node.Input.AddRange(new[] { "x", "w" });
        node.Output.Add("y");
        node.Attribute.Add(OnnxAttributes.Ints("kernel_shape", new long[] { kernel, kernel }));
        node.Attribute.Add(OnnxAttributes.Ints("strides", new long[] { stride, stride }));
        node.Attribute.Add(OnnxAttributes.Ints("pads", new long[] { kernel / 2, kernel / 2, kernel / 2, kernel / 2 }));
        graph.Node.Add(node);
        return (Model(graph), new List<string> { "w" }, new Dictionary<string, long[]> { ["x"] = new long[] { 32, cin, size, size } });
    }

    private static (ModelProto, List<string>, Dictionary<string, long[]>) BatchNorm(int channels, int size, bool relu, bool residual = false)
    {
        var graph = new GraphProto { Name = "bn" };
        var shape = new long[] { 32, channels, size, size };
        graph.Input.Add(OnnxTensors.ValueInfo("x", OnnxTensors.Float, shape));
        graph.Initializer.Add(OnnxTensors.FromFloats("p", new float[32 * channels * size * size], shape));
        graph.Initializer.Add(OnnxTensors.FromFloats("gamma", Enumerable.Repeat(1f, channels).ToArray(), new long[] { channels }));
        graph.Initializer.Add(OnnxTensors.FromFloats("beta", new float[channels], new long[] { channels }));
        graph.Initializer.Add(OnnxTensors.FromFloats("mean", new float[channels], new long[] { channels }));
        graph.Initializer.Add(OnnxTensors.FromFloats("var", Enumerable.Repeat(1f, channels).ToArray(), new long[] { channels }));
        var add = new NodeProto { OpType = "Add", Name = "add" };
        add.Input.AddRange(new[] { "x", "p" });
        add.Output.Add("a");
        var bn = new NodeProto { OpType = "BatchNormalization", Name = "bn" };
        bn.Input.AddRange(new[] { "a", "gamma", "beta", "mean", "var" });
        bn.Output.Add(relu ? "b" : "y");
        graph.Node.Add(add);
        graph.Node.Add(bn);
        if (residual)
        {
            var shortcut = new NodeProto { OpType = "Add", Name = "residual" };
            shortcut.Input.AddRange(new[] { "b", "x" });
            shortcut.Output.Add("s");
            graph.Node.Add(shortcut);
        }

        if (relu)
        {
            var r = new NodeProto { OpType = "Relu", Name = "relu" };
            r.Input.Add(residual ? "s" : "b");
            r.Output.Add("y");
            graph.Node.Add(r);
        }

        return (Model(graph), new List<string> { "p", "gamma", "beta" }, new Dictionary<string, long[]> { ["x"] = shape });
    }

    private static ModelProto Model(GraphProto graph)
    {
        graph.Output.Add(OnnxTensors.ValueInfo("y", OnnxTensors.Float));
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model;
    }
}
