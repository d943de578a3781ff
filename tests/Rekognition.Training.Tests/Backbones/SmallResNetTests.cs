using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rekognition.Training.Backbones;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Tests.Backbones;

public class SmallResNetTests
{
    [Test]
    public void HasThePeersParameterCountAndShapes()
    {
        // shared/peers/resnet_step.py prints 1,228,970 parameters for its TinyResNet (widths 32-64-128-256, 10 classes).
        var (model, trainable) = BuiltInNetworks.SmallResNet(3, 64, 10);
        var sizes = model.Graph.Initializer.ToDictionary(i => i.Name, i => i.Dims.Aggregate(1L, (p, d) => p * d));
        Assert.That(trainable.Sum(t => sizes[t]), Is.EqualTo(1_228_970));
        Assert.That(model.Graph.Node.Count(n => n.OpType == "Conv"), Is.EqualTo(1 + 8 + 3));
        Assert.That(model.Graph.Node.Count(n => n.OpType == "Add"), Is.EqualTo(4));

        using var session = new InferenceSession(model.ToByteArray());
        var input = new DenseTensor<float>(Enumerable.Range(0, 2 * 3 * 64 * 64).Select(i => (float)Math.Sin(i)).ToArray(), new[] { 2, 3, 64, 64 });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(BuiltInNetworks.Input, input) });
        Assert.That(results[0].AsTensor<float>().Dimensions.ToArray(), Is.EqualTo(new[] { 2, 10 }));
    }

    [Test]
    public void TrainingStepsLowerTheLossOnAFixedBatch()
    {
        var (model, trainable) = BuiltInNetworks.SmallResNet(3, 16, 4, width: 8, seed: 1);
        var graph = TrainingGraphBuilder.Build(model, trainable, BuiltInNetworks.Output, new SoftmaxCrossEntropyLoss(),
            new Dictionary<string, long[]> { [BuiltInNetworks.Input] = new long[] { 8, 3, 16, 16 } });
        using var session = new TrainingGraphSession(graph, threads: 1);
        var random = new Random(2);
        var input = session.Input(graph.DataInputs[0]);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = random.NextSingle() - 0.5f;
        }

        var labels = session.Int64Input(SoftmaxCrossEntropyLoss.LabelsInput);
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = i % 4;
        }

        var optimizer = new Rekognition.Training.Optimizers.AdamWOptimizer(graph.Parameters.Select(p => p.InitialValues.Length).ToList(), weightDecay: 0f);
        var parameters = graph.Parameters.Select((_, i) => session.Parameter(i)).ToArray();
        var gradients = graph.Parameters.Select((_, i) => session.Gradient(i)).ToArray();
        var first = session.Run();
        var last = first;
        for (var step = 0; step < 30; step++)
        {
            optimizer.Step(parameters, gradients, 3e-3f);
            last = session.Run();
        }

        Assert.That(last, Is.LessThan(first * 0.5f));
    }
}
