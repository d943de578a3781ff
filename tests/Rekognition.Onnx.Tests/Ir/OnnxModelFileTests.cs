using Rekognition.Core.Model;
using Rekognition.Onnx.Ir;

namespace Rekognition.Onnx.Tests;

public class OnnxModelFileTests
{
    private static string Models => Support.TestData.Models;

    [Test]
    public void Read_MobileNetV2_HasItsImageInputAndInitializers()
    {
        var model = OnnxModelFile.Read(Path.Combine(Models, "mobilenetv2-12-int8.onnx"));

        var input = model.Graph.Input.First(i => model.Graph.Initializer.All(t => t.Name != i.Name));
        Assert.That(input.Type.TensorType.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue : -1).Skip(1), Is.EqualTo(new long[] { 3, 224, 224 }));
        Assert.That(model.Graph.Initializer, Is.Not.Empty);
        Assert.That(model.OpsetImport.Any(o => string.IsNullOrEmpty(o.Domain)), Is.True);
    }

    [Test]
    public void Write_ThenRead_KeepsTheGraph()
    {
        var model = OnnxModelFile.Read(Path.Combine(Models, "mnist-8_statefulcnn.onnx"));
        var path = Path.Combine(Path.GetTempPath(), $"roundtrip-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxModelFile.Write(model, path);
            var again = OnnxModelFile.Read(path);
            Assert.That(again, Is.EqualTo(model));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Read_NotAnOnnxFile_IsInvalidParameter()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "this is not a model");
        try
        {
            Assert.Throws<InvalidParameterException>(() => OnnxModelFile.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
