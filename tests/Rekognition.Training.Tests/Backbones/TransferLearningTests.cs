using Google.Protobuf;
using Rekognition.Core.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Backbones;
using Rekognition.Training.Data;
using Rekognition.Training.Export;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.Backbones;

public class TransferLearningTests
{
    private static float[] Run(ModelProto model, string input, float[] data, int[] shape)
    {
        using var session = new InferenceSession(model.ToByteArray());
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(data, shape)) });
        return results[0].AsTensor<float>().ToArray();
    }

    [Test]
    public void HeadWithoutDropoutBuildsAValidTrainingGraph()
    {
        // Regression: node names of the source graph must not clash with the training graph's new nodes.
        var trainer = new TransferLearningTrainer(new TransferLearningOptions { Epochs = 2, BatchSize = 4, Dropout = 0f, Threads = 1 });
        var features = Enumerable.Range(0, 8 * 6).Select(i => (float)Math.Sin(i)).ToArray();
        var (head, loop) = trainer.TrainHead(features, new SampleLabels(new[] { 0, 1, 0, 1, 0, 1, 0, 1 }, null, 2), false, null, CancellationToken.None);
        Assert.That(loop.EpochLosses, Has.Count.EqualTo(2));
        Assert.That(head.Graph.Node.Select(n => n.Name).Distinct().Count(), Is.EqualTo(head.Graph.Node.Count));
    }

    [Test]
    public void CutKeepsThePooledFeaturesAndDropsTheClassifier()
    {
        var (network, _) = BuiltInNetworks.CompactCnn(3, 16, 5, width: 4, seed: 1);
        var (cut, features) = PooledFeatureCut.Cut(network);
        Assert.That(features, Is.EqualTo(16));
        Assert.That(cut.Graph.Node.Select(n => n.OpType), Has.None.EqualTo("Gemm"));
        var random = new Random(2);
        var image = Enumerable.Range(0, 2 * 3 * 16 * 16).Select(_ => random.NextSingle()).ToArray();
        var pooled = Run(cut, BuiltInNetworks.Input, image, new[] { 2, 3, 16, 16 });
        Assert.That(pooled, Has.Length.EqualTo(2 * 16));
        Assert.That(pooled.Any(v => v != 0f), Is.True);
    }

    [Test]
    public void HeadLearnsSeparableFeaturesAndTheJoinedGraphMatchesBackboneThenHead()
    {
        // Two classes whose features differ in mean along a few dimensions.
        const int n = 96, f = 16;
        var random = new Random(3);
        var features = new float[n * f];
        var classes = new int[n];
        for (var i = 0; i < n; i++)
        {
            classes[i] = i % 2;
            for (var j = 0; j < f; j++)
            {
                features[(i * f) + j] = (float)(random.NextDouble() + (j < 3 && classes[i] == 1 ? 0.8 : 0));
            }
        }

        var trainer = new TransferLearningTrainer(new TransferLearningOptions { Epochs = 30, BatchSize = 16, LearningRate = 1e-2f, Threads = 1 });
        var (head, loop) = trainer.TrainHead(features, new SampleLabels(classes, null, 2), multiLabel: false, null, CancellationToken.None);
        Assert.That(loop.EpochLosses[^1], Is.LessThan(loop.EpochLosses[0]));
        using (var scorer = new InferenceScorer(head, 1))
        {
            var accuracy = InferenceScorer.Accuracy(scorer.Score(new TensorSampleSource(features, f, 1, 1)), classes);
            Assert.That(accuracy, Is.GreaterThan(0.9));
        }

        // Joined: a backbone whose pooled features feed the head; same logits as running the two apart.
        var (network, _) = BuiltInNetworks.CompactCnn(3, 16, 5, width: 8, seed: 1); // 4·width = 32 features
        var (cut, width) = PooledFeatureCut.Cut(network);
        var (wideHead, _) = trainer.TrainHead(Enumerable.Range(0, n * width).Select(_ => random.NextSingle()).ToArray(), new SampleLabels(classes, null, 2), false, null, CancellationToken.None);
        var joined = HeadAttacher.Attach(cut, PooledFeatureCut.FeaturesOutput, wideHead, LinearHead.Input);
        var image = Enumerable.Range(0, 2 * 3 * 16 * 16).Select(_ => random.NextSingle()).ToArray();
        var pooled = Run(cut, BuiltInNetworks.Input, image, new[] { 2, 3, 16, 16 });
        var separate = Run(wideHead, LinearHead.Input, pooled, new[] { 2, width, 1, 1 });
        var together = Run(joined, BuiltInNetworks.Input, image, new[] { 2, 3, 16, 16 });
        Assert.That(together, Is.EqualTo(separate).Within(1e-4));
    }

    [Test]
    public void FeatureNetworkCentreCropsThroughTheInputSpec_ByDefault()
    {
        // The crop is the preprocessing's (recorded in the package), not a Slice in the graph: the input stays the backbone's size.
        var (network, _) = BuiltInNetworks.CompactCnn(3, 16, 5, width: 4, seed: 1);
        var (features, spec) = new TransferLearningTrainer(new TransferLearningOptions { InputSize = 16 }).FeatureNetwork(network);
        Assert.That((spec.Width, spec.Height, spec.Name), Is.EqualTo((16, 16, BuiltInNetworks.Input)));
        Assert.That((spec.Resize, spec.CropFraction), Is.EqualTo((ResizeMode.CentreCrop, 0.875f)));
        Assert.That(features.Graph.Node.Select(n => n.OpType), Has.None.EqualTo("Slice"));

        var stretched = new TransferLearningTrainer(new TransferLearningOptions { InputSize = 16, Resize = ResizeMode.Stretch }).FeatureNetwork(network);
        Assert.That((stretched.Spec.Width, stretched.Spec.Resize), Is.EqualTo((16, ResizeMode.Stretch)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransferLearningTrainer(new TransferLearningOptions { CropFraction = 0f }).FeatureNetwork(network));
    }

    [Test]
    public void DefaultSgdHeadMatchesARegularisedRegressionOnNoisyFeatures()
    {
        // Two classes apart along 4 of 64 features, with noise: the default head (SGD, L2, zero start) separates
        // held-out vectors drawn the same way.
        const int n = 200, f = 64;
        var random = new Random(5);
        (float[] X, int[] Y) Draw(int count)
        {
            var x = new float[count * f];
            var y = new int[count];
            for (var i = 0; i < count; i++)
            {
                y[i] = random.Next(2);
                for (var j = 0; j < f; j++)
                {
                    x[(i * f) + j] = (float)(random.NextDouble() * 2) + (j < 4 && y[i] == 1 ? 1f : 0f);
                }
            }

            return (x, y);
        }

        var (trainX, trainY) = Draw(n);
        var (testX, testY) = Draw(n);
        var (head, loop) = new TransferLearningTrainer(new TransferLearningOptions { Threads = 1 })
            .TrainHead(trainX, new SampleLabels(trainY, null, 2), false, null, CancellationToken.None);
        Assert.That(loop.EpochLosses[^1], Is.LessThan(loop.EpochLosses[0]));
        using var scorer = new InferenceScorer(head, 1);
        Assert.That(InferenceScorer.Accuracy(scorer.Score(new TensorSampleSource(testX, f, 1, 1)), testY), Is.GreaterThan(0.85));
    }
}
