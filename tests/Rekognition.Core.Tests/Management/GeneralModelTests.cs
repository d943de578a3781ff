using Rekognition.Core.GeneralModels;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Tests.TestSupport;
using static Rekognition.Core.Tests.Management.TrainedModels;

namespace Rekognition.Core.Tests.Management;

public class GeneralModelTests
{
    [Test]
    public async Task AnImageNetClassifier_IsRegisteredWithItsClassList()
    {
        await using var store = new TestStore(new FakeModelRuntime());
        var project = await store.CreateProjectAsync("general");
        var arn = (await store.GeneralModels.RegisterGeneralModelAsync(new RegisterGeneralModelRequest
        {
            ProjectArn = project,
            VersionName = "mobilenetv2",
            ModelPath = SharedData.PathOf("models/mobilenetv2-12-int8.onnx"),
            ClassNamesPath = SharedData.PathOf("models/imagenet_classes.txt"),
            InputName = "input",
            OutputName = "output",
        })).ProjectVersionArn!;

        var version = (await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project })).ProjectVersionDescriptions.Single();
        Assert.That(version.ProjectVersionArn, Is.EqualTo(arn));
        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED));
        Assert.That(version.VersionDescription, Is.EqualTo("General model mobilenetv2-12-int8.onnx (1000 classes)"));

        var exported = await store.Models.ExportProjectVersionAsync(new ExportProjectVersionRequest { ProjectVersionArn = arn, DestinationDirectory = Path.Combine(store.Root, "out") });
        var metadata = ModelPackage.Load(exported.ModelPath!, exported.MetadataPath!).Metadata;
        Assert.Multiple(() =>
        {
            Assert.That(metadata.Kind, Is.EqualTo(ModelKind.MultiClass));
            Assert.That(metadata.Labels, Has.Count.EqualTo(1000));
            Assert.That(metadata.Labels[0], Is.EqualTo("tench"));
            Assert.That(metadata.Labels, Is.Unique, "repeated ImageNet names get their index");
            Assert.That(metadata.Labels, Has.Some.Matches<string>(l => l.StartsWith("crane (", StringComparison.Ordinal)));
            Assert.That(metadata.Input.Name, Is.EqualTo("input"));
            Assert.That(metadata.Input.Mean, Is.EqualTo(new[] { 0.485f, 0.456f, 0.406f }));
            Assert.That(metadata.Output.Format, Is.EqualTo(OutputFormat.Logits));
            Assert.That(metadata.DefaultThreshold, Is.EqualTo(0.1f));
        });
    }

    [Test]
    public async Task RegisteringWithoutClassesOrTensorNames_IsRefused_AndCreatesNothing()
    {
        await using var store = new TestStore(new FakeModelRuntime());
        var project = await store.CreateProjectAsync("general");
        RegisterGeneralModelRequest Request() => new()
        {
            ProjectArn = project, VersionName = "m", ModelPath = SharedData.PathOf("models/mobilenetv2-12-int8.onnx"),
            ClassNames = { "a", "b" }, InputName = "input", OutputName = "output",
        };

        var noClasses = Request();
        noClasses.ClassNames.Clear();
        Assert.ThrowsAsync<InvalidParameterException>(() => store.GeneralModels.RegisterGeneralModelAsync(noClasses));
        var noInput = Request();
        noInput.InputName = null;
        Assert.That(Assert.ThrowsAsync<InvalidParameterException>(() => store.GeneralModels.RegisterGeneralModelAsync(noInput))!.Message, Does.Contain("InputName"));
        var detector = Request();
        detector.OutputFormat = OutputFormat.YoloV8;
        Assert.ThrowsAsync<InvalidParameterException>(() => store.GeneralModels.RegisterGeneralModelAsync(detector));
        var both = Request();
        both.ClassNamesPath = SharedData.PathOf("models/imagenet_classes.txt");
        Assert.ThrowsAsync<InvalidParameterException>(() => store.GeneralModels.RegisterGeneralModelAsync(both));

        var versions = await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project });
        Assert.That(versions.ProjectVersionDescriptions, Is.Empty);
    }

    [Test]
    public async Task OneImage_SeveralModels_ResultsPerModel_WithTheCallsThreshold()
    {
        await using var store = Store();
        var pets = await ProjectAsync(store, "pets");
        var rooms = await ProjectAsync(store, "rooms");
        var petsV1 = (await TrainAsync(store, pets)).ProjectVersionArn!;
        var roomsV1 = (await TrainAsync(store, rooms)).ProjectVersionArn!;
        await StartAsync(store, pets, petsV1);
        await StartAsync(store, rooms, roomsV1);
        var image = new Image { Bytes = new MemoryStream(PngBuilder.Rgb(130, 64)) };

        var all = await store.GeneralModels.ClassifyWithModelsAsync(new ClassifyWithModelsRequest { ProjectVersionArns = { roomsV1, petsV1 }, Image = image, MinConfidence = 0 });
        Assert.That(all.Models.Select(m => m.ProjectVersionArn), Is.EqualTo(new[] { roomsV1, petsV1 }));
        Assert.That(all.Models.Select(m => m.CustomLabels.Count), Is.EqualTo(new[] { 2, 2 }));
        Assert.That(all.Models.Select(m => m.CustomLabels[0].Name), Is.EqualTo(new[] { "cat", "cat" }));

        var confident = await store.GeneralModels.ClassifyWithModelsAsync(new ClassifyWithModelsRequest { ProjectVersionArns = { petsV1, roomsV1 }, Image = image, MinConfidence = 90 });
        Assert.That(confident.Models.Select(m => m.CustomLabels.Select(l => l.Name)), Is.EqualTo(new[] { new[] { "cat" }, new[] { "cat" } }));

        await store.Client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = roomsV1 });
        await store.Client.WhenIdleAsync();
        Assert.ThrowsAsync<ResourceNotReadyException>(() => store.GeneralModels.ClassifyWithModelsAsync(new ClassifyWithModelsRequest { ProjectVersionArns = { petsV1, roomsV1 }, Image = image }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.GeneralModels.ClassifyWithModelsAsync(new ClassifyWithModelsRequest { ProjectVersionArns = { petsV1, petsV1 }, Image = image }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.GeneralModels.ClassifyWithModelsAsync(new ClassifyWithModelsRequest { Image = image }));
    }
}
