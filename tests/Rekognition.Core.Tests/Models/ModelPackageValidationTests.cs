using Rekognition.Core.Model;
using Rekognition.Core.Models;

namespace Rekognition.Core.Tests.Models;

public class ModelPackageValidationTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("rekognition-package-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private static ModelPackageMetadata Metadata(ResizeMode resize, float cropFraction) => new()
    {
        Kind = ModelKind.MultiClass,
        Labels = { "ant", "bee" },
        Input = new ModelInputSpec { Resize = resize, CropFraction = cropFraction },
        Output = new ModelOutputSpec { Format = OutputFormat.Logits, Scores = "logits" },
    };

    [TestCase(0f)]
    [TestCase(-0.5f)]
    [TestCase(1.01f)]
    [TestCase(float.NaN)]
    public void ACentreCropOutsideZeroToOneIsRefused(float fraction)
    {
        var source = Path.Combine(_directory, "source.onnx");
        File.WriteAllBytes(source, new byte[] { 1 });
        var error = Assert.Throws<InvalidParameterException>(() => ModelPackage.Write(Path.Combine(_directory, "package"), source, Metadata(ResizeMode.CentreCrop, fraction)));
        Assert.That(error!.Message, Does.Contain("cropFraction"));
        Assert.That(Directory.Exists(Path.Combine(_directory, "package")), Is.False, "nothing is written for a refused package");
    }

    [Test]
    public void ACentreCropPackageRoundTrips()
    {
        var source = Path.Combine(_directory, "source.onnx");
        File.WriteAllBytes(source, new byte[] { 1 });
        ModelPackage.Write(Path.Combine(_directory, "package"), source, Metadata(ResizeMode.CentreCrop, 0.875f));
        var read = ModelPackage.Load(Path.Combine(_directory, "package"));
        Assert.That((read.Metadata.Input.Resize, read.Metadata.Input.CropFraction), Is.EqualTo((ResizeMode.CentreCrop, 0.875f)));
    }
}
