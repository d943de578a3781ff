using Rekognition.Core.Model;
using Rekognition.Imaging.Decoding;
using Rekognition.Onnx.Detection;
using Rekognition.Onnx.Tests.Support;
using SkiaSharp;

namespace Rekognition.Onnx.Tests.Detection;

public class OnnxDetectorTests
{
    private TemporaryDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Detect_Bytes_GivesTheColourAboveItsThreshold()
    {
        using var detector = OnnxDetector.Load(new ColourModel().WritePackage(_temp.Path));

        var red = detector.Detect(TestImages.Solid(SKColors.Red));
        var blue = detector.Detect(TestImages.Solid(SKColors.Blue, format: SKEncodedImageFormat.Jpeg));

        Assert.That(red.Select(l => l.Name), Is.EqualTo(new[] { "red" }));
        Assert.That(red[0].Confidence, Is.GreaterThan(99f).And.LessThanOrEqualTo(100f));
        Assert.That(red[0].Box, Is.Null);
        Assert.That(blue.Select(l => l.Name), Is.EqualTo(new[] { "blue" }));
    }

    [Test]
    public void Detect_MinConfidenceZero_ListsEveryLabelByConfidence_AndMaxResultsCuts()
    {
        using var detector = OnnxDetector.Load(new ColourModel().WritePackage(_temp.Path));
        var image = TestImages.Solid(SKColors.Blue);

        Assert.That(detector.Detect(image, minConfidence: 0).Select(l => l.Name), Is.EqualTo(new[] { "blue", "red" }));
        Assert.That(detector.Detect(image, minConfidence: 0, maxResults: 1).Select(l => l.Name), Is.EqualTo(new[] { "blue" }));
        Assert.Throws<InvalidParameterException>(() => detector.Detect(image, minConfidence: 101));
    }

    [Test]
    public void Detect_StreamAndDecodedImage_AgreeWithBytes()
    {
        using var detector = OnnxDetector.Load(new ColourModel { Softmax = false }.WritePackage(_temp.Path));
        var bytes = TestImages.Solid(new SKColor(200, 30, 60), format: SKEncodedImageFormat.Jpeg);
        using var decoded = new SkiaImageDecoder().Decode(bytes);
        using var stream = new MemoryStream(bytes);

        var fromBytes = detector.Detect(bytes, minConfidence: 0);
        var fromStream = detector.Detect(stream, minConfidence: 0);
        var fromImage = detector.Detect(decoded, minConfidence: 0);

        Assert.That(fromBytes[0].Name, Is.EqualTo("red"));
        Assert.That(fromStream, Is.EqualTo(fromBytes));
        Assert.That(fromImage[0].Confidence, Is.EqualTo(fromBytes[0].Confidence).Within(0.5f));
    }

    [Test]
    public void Load_NotAnOnnxModel_IsInvalidParameter()
    {
        var directory = new ColourModel().WritePackage(_temp.Path);
        File.WriteAllText(Path.Combine(directory, "model.onnx"), "garbage, not a model");

        Assert.Throws<InvalidParameterException>(() => OnnxDetector.Load(directory));
    }

    [Test]
    public void Detect_AfterDispose_IsObjectDisposed()
    {
        var detector = OnnxDetector.Load(new ColourModel().WritePackage(_temp.Path));
        detector.Dispose();

        Assert.Throws<ObjectDisposedException>(() => detector.Detect(TestImages.Solid(SKColors.Red)));
    }

    [Test]
    public void Detect_MobileNetOnHymenoptera_TopLabelIsAntOrBeeForMostPhotos()
    {
        using var detector = OnnxDetector.Load(TestData.MobileNetPackage(_temp.Path));
        var correct = new Dictionary<string, int> { ["ants"] = 0, ["bees"] = 0 };
        foreach (var (folder, label) in new[] { ("ants", "ant"), ("bees", "bee") })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(TestData.Hymenoptera, folder), "*.jpg").Order(StringComparer.Ordinal).Take(12))
            {
                var top = detector.Detect(File.ReadAllBytes(file), minConfidence: 0, maxResults: 1);
                correct[folder] += top[0].Name == label ? 1 : 0;
            }
        }

        // The model gets about 80 % of these right (56/70 ants, 67/83 bees on the whole val set).
        Assert.That(correct["ants"], Is.GreaterThanOrEqualTo(7), "ants");
        Assert.That(correct["bees"], Is.GreaterThanOrEqualTo(7), "bees");
    }
}
