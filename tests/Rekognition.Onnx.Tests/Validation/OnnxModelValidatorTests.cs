using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Onnx.Ir;
using Rekognition.Onnx.Tests.Support;
using Rekognition.Onnx.Validation;

namespace Rekognition.Onnx.Tests.Validation;

public class OnnxModelValidatorTests
{
    private TemporaryDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Validate_ModelThatFitsItsMetadata_Passes()
    {
        var package = ModelPackage.Load(new ColourModel().WritePackage(_temp.Path));

        Assert.DoesNotThrow(() => OnnxModelValidator.Validate(package));
    }

    [Test]
    public void Validate_MobileNetWithImageNetMetadata_Passes()
    {
        var package = ModelPackage.Load(TestData.MobileNetPackage(_temp.Path));

        Assert.DoesNotThrow(() => OnnxModelValidator.Validate(package));
    }

    [Test]
    public void Validate_GarbageBytes_IsInvalidParameter()
    {
        var directory = new ColourModel().WritePackage(_temp.Path);
        File.WriteAllBytes(Path.Combine(directory, ModelPackage.ModelFileName), Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var package = ModelPackage.Load(directory);

        Assert.Throws<InvalidParameterException>(() => OnnxModelValidator.Validate(package));
    }

    [Test]
    public void Validate_GraphOnnxRuntimeCannotLoad_IsInvalidParameter()
    {
        var model = new ColourModel().Build();
        model.Graph.Node[0].OpType = "NoSuchOperator";
        var package = ModelPackage.Load(new ColourModel().WritePackage(_temp.Path, model: model));

        var ex = Assert.Throws<InvalidParameterException>(() => OnnxModelValidator.Validate(package));
        Assert.That(ex!.Message, Does.Contain("cannot be loaded by ONNX Runtime"));
    }

    [Test]
    public void Validate_InputNameNotInGraph_SaysWhichInputsThereAre()
    {
        var metadata = new ColourModel().Metadata();
        metadata.Input.Name = "image";

        var ex = Assert.Throws<InvalidParameterException>(() => Check(new ColourModel().Build(), metadata));
        Assert.That(ex!.Message, Does.Contain("no input named 'image'").And.Contain("'input'"));
    }

    [Test]
    public void Validate_SizeDifferentFromMetadata_IsInvalidParameter()
    {
        var metadata = new ColourModel().Metadata();
        metadata.Input.Width = 128;

        var ex = Assert.Throws<InvalidParameterException>(() => Check(new ColourModel().Build(), metadata));
        Assert.That(ex!.Message, Does.Contain("64x64").And.Contain("128x64"));
    }

    [Test]
    public void Validate_DynamicSize_AcceptsAnyMetadataSize()
    {
        var builder = new ColourModel { DynamicSize = true };
        var metadata = builder.Metadata();
        metadata.Input.Width = 300;
        metadata.Input.Height = 200;

        Assert.DoesNotThrow(() => Check(builder.Build(), metadata));
    }

    [Test]
    public void Validate_NhwcMetadataForNchwModel_HintsAtTheLayout()
    {
        var metadata = new ColourModel { Width = 3, Height = 3 }.Metadata();
        metadata.Input.Layout = TensorLayout.NHWC;
        var model = new ColourModel { Width = 64, Height = 64 }.Build();

        var ex = Assert.Throws<InvalidParameterException>(() => Check(model, metadata));
        Assert.That(ex!.Message, Does.Contain("channels").And.Contain("NCHW"));
    }

    [Test]
    public void Validate_LabelCountDifferentFromOutput_IsInvalidParameter()
    {
        var metadata = new ColourModel().Metadata();
        metadata.Labels.Add("green");

        var ex = Assert.Throws<InvalidParameterException>(() => Check(new ColourModel().Build(), metadata));
        Assert.That(ex!.Message, Does.Contain("2 labels").And.Contain("lists 3"));
    }

    [Test]
    public void Validate_ScoresOutputNotInGraph_IsInvalidParameter()
    {
        var metadata = new ColourModel().Metadata();
        metadata.Output.Scores = "probabilities";

        var ex = Assert.Throws<InvalidParameterException>(() => Check(new ColourModel().Build(), metadata));
        Assert.That(ex!.Message, Does.Contain("no output named 'probabilities'").And.Contain("output.scores"));
    }

    [Test]
    public void Validate_SecondNonInitializerInput_IsInvalidParameter()
    {
        var model = new ColourModel().Build();
        var extra = model.Graph.Input[0].Clone();
        extra.Name = "mask";
        model.Graph.Input.Add(extra);

        var ex = Assert.Throws<InvalidParameterException>(() => Check(model, new ColourModel().Metadata()));
        Assert.That(ex!.Message, Does.Contain("2 inputs"));
    }

    [Test]
    public void Load_PackageWithoutMetadataFile_IsInvalidParameter()
    {
        var directory = new ColourModel().WritePackage(_temp.Path);
        File.Delete(Path.Combine(directory, ModelPackage.MetadataFileName));

        Assert.Throws<InvalidParameterException>(() => ModelPackage.Load(directory));
    }

    private static void Check(ModelProto model, ModelPackageMetadata metadata) => OnnxModelValidator.Validate(model, metadata, "test.onnx");
}
