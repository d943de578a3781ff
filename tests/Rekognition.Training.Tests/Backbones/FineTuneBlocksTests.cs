using Google.Protobuf;
using Rekognition.Core.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Backbones;
using Rekognition.Training.Data;
using Rekognition.Training.Export;
using Rekognition.Training.Graphs;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.Backbones;

public class FineTuneBlocksTests
{
    private static float[] Run(ModelProto model, string input, float[] data, int[] shape) => RunShaped(model, input, data, shape).Values;

    private static (float[] Values, int[] Shape) RunShaped(ModelProto model, string input, float[] data, int[] shape)
    {
        using var session = new InferenceSession(model.ToByteArray());
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(data, shape)) });
        var tensor = results[0].AsTensor<float>();
        return (tensor.ToArray(), tensor.Dimensions.ToArray());
    }

    [Test]
    public void BlocksArePlainConvLayersOrWholeResidualBlocks()
    {
        var (compact, _) = PooledFeatureCut.Cut(BuiltInNetworks.CompactCnn(3, 16, 5, width: 4, seed: 1).Model);
        Assert.That(BlockSplit.CountBlocks(compact), Is.EqualTo(5)); // 6 conv layers; the first, with nothing before it, is not one
        var (resnet, _) = PooledFeatureCut.Cut(BuiltInNetworks.SmallResNet(3, 16, 5, width: 4, seed: 1).Model);
        Assert.That(BlockSplit.CountBlocks(resnet), Is.EqualTo(4)); // the four residual blocks after the stem

        // The last residual block (two convs and a projection) is one piece: its back holds three convs and one Add.
        var (_, _, back, trainable) = BlockSplit.Split(resnet, 1);
        Assert.That(back.Graph.Node.Count(n => n.OpType == "Conv"), Is.EqualTo(3));
        Assert.That(back.Graph.Node.Count(n => n.OpType == "Add"), Is.EqualTo(1));
        Assert.That(trainable, Has.Count.EqualTo(3 + (3 * 2)));
    }

    [Test]
    public void FrontThenBackGivesTheWholeNetworksFeatures()
    {
        var (network, _) = PooledFeatureCut.Cut(BuiltInNetworks.SmallResNet(3, 16, 5, width: 4, seed: 1).Model);
        var (front, cut, back, _) = BlockSplit.Split(network, 2);
        Assert.That(front.Graph.Output.Single().Name, Is.EqualTo(cut));
        var random = new Random(1);
        var image = Enumerable.Range(0, 2 * 3 * 16 * 16).Select(_ => random.NextSingle()).ToArray();
        var whole = Run(network, BuiltInNetworks.Input, image, new[] { 2, 3, 16, 16 });
        var (activation, shape) = RunShaped(front, BuiltInNetworks.Input, image, new[] { 2, 3, 16, 16 });
        Assert.That(shape, Is.EqualTo(new[] { 2, 8, 8, 8 })); // the input of the third residual block
        Assert.That(Run(back, BlockSplit.BackInput, activation, shape), Is.EqualTo(whole).Within(1e-4));
    }

    [Test]
    public void FineTuningTrainsTheLastBlocksWithTheHeadAndJoinsThemBehindTheFront()
    {
        var (network, _) = PooledFeatureCut.Cut(BuiltInNetworks.CompactCnn(3, 16, 5, width: 4, seed: 1).Model);
        var trainer = new TransferLearningTrainer(new TransferLearningOptions { InputSize = 16, Resize = ResizeMode.Stretch, FineTuneBlocks = 2, FineTuneEpochs = 15, FineTuneLearningRate = 3e-3f, BatchSize = 16, Threads = 1 });
        var (front, cut) = trainer.FineTuneFront(network);

        // Two classes of images: bright top half or bright bottom half, with noise.
        const int n = 64;
        var random = new Random(2);
        var images = new float[n * 3 * 16 * 16];
        var classes = new int[n];
        for (var i = 0; i < n; i++)
        {
            classes[i] = i % 2;
            for (var c = 0; c < 3; c++)
            {
                for (var y = 0; y < 16; y++)
                {
                    for (var x = 0; x < 16; x++)
                    {
                        images[(((i * 3) + c) * 256) + (y * 16) + x] = random.NextSingle() + ((y < 8) == (classes[i] == 0) ? 1f : 0f);
                    }
                }
            }
        }

        var (activations, dims) = RunShaped(front, BuiltInNetworks.Input, images, new[] { n, 3, 16, 16 });
        var shape = dims.Skip(1).Select(d => (long)d).ToArray();
        var (backAndHead, loop) = trainer.TrainBlocksAndHead(network, activations, shape, new SampleLabels(classes, null, 2), false, null, CancellationToken.None);
        Assert.That(loop.EpochLosses[^1], Is.LessThan(loop.EpochLosses[0]));

        // The back's conv weights (batch norms folded in on export) moved from the pretrained ones.
        var (_, _, back, _) = BlockSplit.Split(network, 2);
        static float[] FirstConvWeight(ModelProto m) => OnnxTensors.ToFloats(m.Graph.Initializer.First(i => i.Name == m.Graph.Node.First(n => n.OpType == "Conv").Input[1]));
        var before = FirstConvWeight(InferenceGraphExporter.Export(back, new Dictionary<string, float[]>()));
        var after = FirstConvWeight(backAndHead);
        Assert.That(after, Has.Length.EqualTo(before.Length));
        Assert.That(after, Is.Not.EqualTo(before).Within(1e-4));

        // Joined behind the front, one graph from images to logits, equal to running the two apart; and it learned the task.
        var joined = HeadAttacher.Attach(front, cut, backAndHead, BlockSplit.BackInput);
        var together = Run(joined, BuiltInNetworks.Input, images, new[] { n, 3, 16, 16 });
        var apart = Run(backAndHead, BlockSplit.BackInput, activations, dims);
        Assert.That(together, Is.EqualTo(apart).Within(1e-4));
        Assert.That(InferenceScorer.Accuracy(together, classes), Is.GreaterThan(0.9));
    }

    [Test]
    public void BacksWithAnOpTheTrainingGraphCannotRunAreRefusedNamingIt()
    {
        // image -> Conv -> Conv -> Erf -> GlobalAveragePool -> Flatten: the last block holds Erf.
        var graph = new GraphProto { Name = "erf" };
        graph.Input.Add(OnnxTensors.ValueInfo("x", OnnxTensors.Float, new long[] { 1, 1, 4, 4 }));
        graph.Initializer.Add(OnnxTensors.FromFloats("w0", new float[] { 1 }, new long[] { 1, 1, 1, 1 }));
        graph.Node.Add(new NodeProto { OpType = "Conv", Name = "conv0", Input = { "x", "w0" }, Output = { "a" } });
        graph.Node.Add(new NodeProto { OpType = "Conv", Name = "conv1", Input = { "a", "w0" }, Output = { "b" } });
        graph.Node.Add(new NodeProto { OpType = "Erf", Name = "erf", Input = { "b" }, Output = { "c" } });
        graph.Node.Add(new NodeProto { OpType = "GlobalAveragePool", Name = "gap", Input = { "c" }, Output = { "p" } });
        graph.Node.Add(new NodeProto { OpType = "Flatten", Name = "flat", Input = { "p" }, Output = { "f" } });
        graph.Output.Add(OnnxTensors.ValueInfo("f", OnnxTensors.Float));
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        Assert.That(BlockSplit.CountBlocks(model), Is.EqualTo(1));
        var error = Assert.Throws<NotSupportedException>(() => BlockSplit.Split(model, 1));
        Assert.That(error!.Message, Does.Contain("Erf"));
    }

    [Test]
    public void AnInt8BackIsRewrittenInFloatOpsGivingTheQuantizedFeatures()
    {
        // x -> Conv (float) -> QuantizeLinear -> QLinearConv (uint8, bias, ReLU folded into its [0, 255] range)
        //   -> QLinearGlobalAveragePool -> DequantizeLinear -> Flatten: the last block is int8.
        var random = new Random(7);
        var graph = new GraphProto { Name = "int8" };
        graph.Input.Add(OnnxTensors.ValueInfo("x", OnnxTensors.Float, new long[] { 2, 2, 5, 5 }));
        graph.Initializer.Add(OnnxTensors.FromFloats("w0", Enumerable.Range(0, 4 * 2).Select(_ => random.NextSingle() - 0.5f).ToArray(), new long[] { 4, 2, 1, 1 }));
        graph.Initializer.Add(OnnxTensors.FromFloats("s_a", new[] { 0.02f }, Array.Empty<long>()));
        graph.Initializer.Add(new TensorProto { Name = "z_a", DataType = (int)TensorProto.Types.DataType.Uint8, RawData = ByteString.CopyFrom(128) });
        graph.Initializer.Add(new TensorProto { Name = "wq", DataType = (int)TensorProto.Types.DataType.Uint8, Dims = { 3, 4, 3, 3 }, RawData = ByteString.CopyFrom(Enumerable.Range(0, 3 * 4 * 9).Select(_ => (byte)random.Next(256)).ToArray()) });
        graph.Initializer.Add(OnnxTensors.FromFloats("s_w", new[] { 0.004f, 0.003f, 0.005f }, new long[] { 3 }));
        graph.Initializer.Add(new TensorProto { Name = "z_w", DataType = (int)TensorProto.Types.DataType.Uint8, Dims = { 3 }, RawData = ByteString.CopyFrom(127, 128, 129) });
        graph.Initializer.Add(OnnxTensors.FromFloats("s_b", new[] { 0.01f }, Array.Empty<long>()));
        graph.Initializer.Add(new TensorProto { Name = "z_b", DataType = (int)TensorProto.Types.DataType.Uint8, RawData = ByteString.CopyFrom(0) });
        graph.Initializer.Add(new TensorProto { Name = "bias", DataType = (int)TensorProto.Types.DataType.Int32, Dims = { 3 }, Int32Data = { 100, -200, 300 } });
        graph.Initializer.Add(OnnxTensors.FromFloats("s_p", new[] { 0.005f }, Array.Empty<long>()));
        graph.Node.Add(new NodeProto { OpType = "Conv", Name = "conv0", Input = { "x", "w0" }, Output = { "a" } });
        graph.Node.Add(new NodeProto { OpType = "QuantizeLinear", Name = "q", Input = { "a", "s_a", "z_a" }, Output = { "aq" } });
        var qconv = new NodeProto { OpType = "QLinearConv", Name = "qconv", Input = { "aq", "s_a", "z_a", "wq", "s_w", "z_w", "s_b", "z_b", "bias" }, Output = { "bq" } };
        qconv.Attribute.Add(OnnxAttributes.Ints("pads", new long[] { 1, 1, 1, 1 }));
        graph.Node.Add(qconv);
        graph.Node.Add(new NodeProto { OpType = "QLinearGlobalAveragePool", Domain = "com.microsoft", Name = "qgap", Input = { "bq", "s_b", "z_b", "s_p", "z_b" }, Output = { "pq" } });
        graph.Node.Add(new NodeProto { OpType = "DequantizeLinear", Name = "dq", Input = { "pq", "s_p", "z_b" }, Output = { "p" } });
        graph.Node.Add(new NodeProto { OpType = "Flatten", Name = "flat", Input = { "p" }, Output = { "f" } });
        graph.Output.Add(OnnxTensors.ValueInfo("f", OnnxTensors.Float));
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 12 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });

        var (front, _, back, trainable) = BlockSplit.Split(model, 1);
        Assert.That(back.Graph.Node.Select(n => n.OpType), Has.None.StartsWith("QLinear"));
        Assert.That(trainable, Has.Count.EqualTo(2)); // the dequantized conv weight and bias
        var image = Enumerable.Range(0, 2 * 2 * 25).Select(_ => (random.NextSingle() * 4) - 2).ToArray();
        var quantized = Run(model, "x", image, new[] { 2, 2, 5, 5 });
        var (activation, shape) = RunShaped(front, "x", image, new[] { 2, 2, 5, 5 });
        var rewritten = Run(back, BlockSplit.BackInput, activation, shape);
        // Equal up to the int8 rounding of the conv output and of the pooled value (a few output steps).
        Assert.That(rewritten, Is.EqualTo(quantized).Within(0.02));
        Assert.That(quantized.Any(v => v > 0.05f), Is.True);
    }
}
