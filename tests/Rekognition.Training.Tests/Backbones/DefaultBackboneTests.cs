using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rekognition.Core;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Backbones;
using Rekognition.Training.Tests.Trainers;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.Backbones;

/// <summary>The default backbone: ML.NET's ImageNet ResNet18 from its NuGet package, cut at its pooled features with its preprocessing in front.</summary>
public class DefaultBackboneTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("rek-default-backbone-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private static string Model => DefaultBackbone.Require();

    [Test]
    public void ThePackageFilesAreCopiedToTheOutput_AndTheCutGivesThePackagesOwnPooledFeatures()
    {
        var (network, spec) = new TransferLearningTrainer().FeatureNetwork(Model);
        Assert.That(spec.Scale, Is.EqualTo(1f), "the graph takes the RGB image on 0-255: its own preprocessing is inside");
        Assert.That(spec.Mean, Is.All.EqualTo(0f));
        Assert.That(network.OpsetImport.Single(o => o.Domain.Length == 0).Version, Is.GreaterThanOrEqualTo(13), "the opset-8 graph is upgraded");
        Assert.That(network.Graph.Node.Select(n => n.OpType), Has.Member("GlobalAveragePool").And.No.Member("AveragePool"));

        // Two RGB images on 0-255 through the cut graph (batch 2: the batch axis is free) against the package's own two
        // files run as ML.NET runs them: the preprocessing graph, then ResNet18 at batch 1, its 1x1 average pool flattened.
        var random = new Random(4);
        var images = Enumerable.Range(0, 2 * 3 * 224 * 224).Select(_ => (float)random.Next(256)).ToArray();
        using var cut = new InferenceSession(network.ToByteArray());
        var input = cut.InputMetadata.Keys.Single();
        using var cutResults = cut.Run(new[] { NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(images, new[] { 2, 3, 224, 224 })) });
        var features = cutResults[0].AsTensor<float>().ToArray();
        Assert.That(features, Has.Length.EqualTo(2 * 512));

        var folder = Path.GetDirectoryName(Path.GetDirectoryName(Model))!;
        using var prep = new InferenceSession(Path.Combine(folder, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));
        using var resnet = new InferenceSession(Model);
        for (var i = 0; i < 2; i++)
        {
            var one = new DenseTensor<float>(images.AsMemory(i * 3 * 224 * 224, 3 * 224 * 224).ToArray(), new[] { 1, 3, 224, 224 });
            using var prepared = prep.Run(new[] { NamedOnnxValue.CreateFromTensor(prep.InputMetadata.Keys.Single(), one) });
            using var pooled = resnet.Run(new[] { NamedOnnxValue.CreateFromTensor(resnet.InputMetadata.Keys.Single(), prepared[0].AsTensor<float>()) });
            var expected = pooled[0].AsTensor<float>().ToArray();
            Assert.That(features.Skip(i * 512).Take(512), Is.EqualTo(expected).Within(1e-3f).Percent, $"image {i}");
        }
    }

    [Test]
    public async Task AJobWithoutABackboneTrainsOnTheDefault_AndNoneTrainsTheBuiltInNetworkFromScratch()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "images")).FullName;
        var random = new Random(5);
        var images = Enumerable.Range(0, 9)
            .Select(i => new TrainingImage(ShapeImages.Write(folder, i, new[] { i % 3 }, random), new[] { i % 3 }, Array.Empty<TrainingBox>()))
            .ToList();
        var trainer = new ModelTrainer(new ImageClassifierTrainerOptions { Epochs = 1 });
        TrainingJob Job(string output, string? backbone) => new(ModelKind.MultiClass, ShapeImages.Shapes, images, Array.Empty<TrainingImage>(), Path.Combine(_directory, output), backbone);

        var pretrained = await trainer.TrainAsync(Job("default", null), null, CancellationToken.None);
        Assert.That(pretrained.Metadata.Backbone, Is.EqualTo(Model));
        Assert.That(pretrained.Metadata.Input.Scale, Is.EqualTo(1f), "the package's model carries the backbone's preprocessing");
        Assert.That(pretrained.Metadata.Training["fineTuneBlocks"], Is.EqualTo(DefaultBackbone.Transfer.FineTuneBlocks.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "the default backbone trains with its own cross-validated settings");
        Assert.That(OnnxModelFile.Read(pretrained.ModelPath).Graph.Node.Select(n => n.Name), Has.Some.StartsWith(PreprocessingPrefix.Prefix));

        var scratch = await trainer.TrainAsync(Job("none", TrainingJob.NoBackbone), null, CancellationToken.None);
        Assert.That(scratch.Metadata.Backbone, Is.EqualTo("builtin:compact-cnn"));
    }

    [Test]
    public void AMissingPackageFile_FailsAtStartUp_NamingThePackage()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => _ = new ModelTrainer(defaultBackboneDirectory: _directory));
        Assert.That(ex!.Message, Does.Contain(DefaultBackbone.PackageId).And.Contain("ResNet18.onnx").And.Contain("none"));
        Assert.That(ex.Message, Does.Not.Contain(_directory), "the message names the package's files, not the server's folders");

        // Only the preprocessing trimmed: the same.
        var models = Path.Combine(_directory, "DnnImageModels", "ResNet18Onnx");
        Directory.CreateDirectory(models);
        File.Copy(Model, Path.Combine(models, "ResNet18.onnx"));
        ex = Assert.Throws<FileNotFoundException>(() => _ = new ModelTrainer(defaultBackboneDirectory: _directory));
        Assert.That(ex!.Message, Does.Contain(DefaultBackbone.PackageId).And.Contain("ResNetPreprocess.onnx"));
    }

    [Test]
    public async Task AStoreThatNamesItsOwnBackbone_StartsWithoutThePackageFiles_AndTrainsFromScratch()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new RekognitionOptions { StoreRoot = _directory, Training = { Backbone = TrainingJob.NoBackbone } }));
        services.AddRekognitionTraining(o => o.Classifier = new ImageClassifierTrainerOptions { Epochs = 1 });
        await using var provider = services.BuildServiceProvider();
        Assert.That(provider.GetRequiredService<IModelTrainer>(), Is.InstanceOf<ModelTrainer>(), "no start-up check for a backbone the store never uses");

        // A trainer built for a trimmed folder without the start-up check: the default is looked for, and missed, only when a job needs it.
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "images")).FullName;
        var random = new Random(5);
        var images = Enumerable.Range(0, 6)
            .Select(i => new TrainingImage(ShapeImages.Write(folder, i, new[] { i % 3 }, random), new[] { i % 3 }, Array.Empty<TrainingBox>()))
            .ToList();
        TrainingJob Job(string output, string? backbone) => new(ModelKind.MultiClass, ShapeImages.Shapes, images, Array.Empty<TrainingImage>(), Path.Combine(_directory, output), backbone);
        var trimmed = new ModelTrainer(new ImageClassifierTrainerOptions { Epochs = 1 }, defaultBackboneDirectory: _directory, defaultBackboneExpected: false);
        var scratch = await trimmed.TrainAsync(Job("none", TrainingJob.NoBackbone), null, CancellationToken.None);
        Assert.That(scratch.Metadata.Backbone, Is.EqualTo("builtin:compact-cnn"));
        var ex = Assert.ThrowsAsync<FileNotFoundException>(() => trimmed.TrainAsync(Job("default", null), null, CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain(DefaultBackbone.PackageId));
    }

    [Test]
    public void ABackboneWithoutAPooledMap_FailsTheTraining_SayingWhatWasLookedFor()
    {
        var b = new NetworkBuilder(BuiltInNetworks.Input, 3, 16, 16).Conv(4, 3).Relu();
        var path = Path.Combine(_directory, "no-pool.onnx");
        OnnxModelFile.Write(b.Build("features"), path);
        var job = new TrainingJob(ModelKind.MultiClass, new[] { "a", "b" }, new[] { new TrainingImage("x.png", new[] { 0 }, Array.Empty<TrainingBox>()) },
            Array.Empty<TrainingImage>(), Path.Combine(_directory, "out"), path);
        var ex = Assert.ThrowsAsync<NotSupportedException>(() => new ModelTrainer().TrainAsync(job, null, CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain("no pooled feature map").And.Contain("GlobalAveragePool").And.Contain("AveragePool whose window covers the whole map").And.Contain("ReduceMean"));
    }

    [Test]
    public void ABackboneWhoseInputIsNotAnImage_FailsTheTraining_SayingWhatWasLookedFor()
    {
        var (network, _) = BuiltInNetworks.CompactCnn(3, 16, 2, width: 4);
        var shape = network.Graph.Input[0].Type.TensorType.Shape;
        shape.Dim.Clear();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 768 });
        var path = Path.Combine(_directory, "vector.onnx");
        OnnxModelFile.Write(network, path);
        var job = new TrainingJob(ModelKind.MultiClass, new[] { "a", "b" }, new[] { new TrainingImage("x.png", new[] { 0 }, Array.Empty<TrainingBox>()) },
            Array.Empty<TrainingImage>(), Path.Combine(_directory, "out"), path);
        var ex = Assert.ThrowsAsync<NotSupportedException>(() => new ModelTrainer().TrainAsync(job, null, CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain("does not take an image").And.Contain("[N, 3, H, W]").And.Contain(", 768]"));
    }

    [Test]
    public void AnAveragePoolOverTheWholeMap_IsFoundAsThePooledFeatures_AndOneOverPartOfItIsNot()
    {
        ModelProto Pooled(int window)
        {
            var b = new NetworkBuilder(BuiltInNetworks.Input, 3, 8, 8).Conv(4, 3, padding: 1).Relu();
            var model = b.Build("unused");
            var graph = model.Graph;
            graph.Node.Add(new NodeProto { OpType = "AveragePool", Name = "pool", Input = { b.Current }, Output = { "pooled" }, Attribute = { Graphs.OnnxAttributes.Ints("kernel_shape", new long[] { window, window }) } });
            graph.Output.Clear();
            graph.Output.Add(Graphs.OnnxTensors.ValueInfo("pooled", Graphs.OnnxTensors.Float));
            return model;
        }

        var (cut, features) = PooledFeatureCut.Cut(Pooled(8));
        Assert.That(features, Is.EqualTo(4));
        Assert.That(cut.Graph.Node.Select(n => n.OpType), Has.Member("GlobalAveragePool"));
        Assert.Throws<NotSupportedException>(() => PooledFeatureCut.Cut(Pooled(4)));
    }
}
